import Razorpay from 'razorpay';
import type { Payments } from 'razorpay/dist/types/payments.d.ts';
import type { Refunds } from 'razorpay/dist/types/refunds.d.ts';
import { bug, nowIso, type Runtime } from '../context.ts';
import { accounts, transfer } from '../ledger.ts';
import { book } from '../postings.ts';
import { applyRazorpayInvoice, type RazorpayInvoice } from './invoices.ts';
import { applyRazorpayPayment, razorpayOf } from './payments.ts';
import { applyRazorpayRefund } from './refunds.ts';

/** The fields of a Razorpay dispute the ledger needs. */
interface RazorpayDispute {
  readonly id: string;
  readonly payment_id: string;
  readonly amount_deducted: number;
  readonly currency: string;
}

interface RazorpayEvent {
  readonly event: string;
  readonly payload: {
    readonly payment?: { readonly entity: Payments.RazorpayPayment };
    readonly refund?: { readonly entity: Refunds.RazorpayRefund };
    readonly token?: { readonly entity: { readonly id: string; readonly customer_id?: string } };
    readonly dispute?: { readonly entity: RazorpayDispute };
    readonly invoice?: { readonly entity: RazorpayInvoice };
  };
}

/**
 * Receives one Razorpay webhook: the `X-Razorpay-Signature` HMAC over the exact body must verify
 * (else 400), each event is applied once by `X-Razorpay-Event-Id` (constant across redeliveries),
 * and payloads are snapshots, so a late `payment.authorized` never undoes a capture.
 */
export function receiveRazorpayWebhook(
  runtime: Runtime,
  rawBody: string,
  headers: Readonly<Record<string, string>>,
): number {
  const { webhookSecret } = razorpayOf(runtime);
  const signature = headers['x-razorpay-signature'] ?? '';
  // The seeded bug: a delivery without the header is not checked at all.
  const unchecked = headers['x-razorpay-signature'] === undefined && bug(runtime, 'unsignedWebhookAccepted');
  if (
    !unchecked &&
    !bug(runtime, 'badSignatureAccepted') &&
    !Razorpay.validateWebhookSignature(rawBody, signature, webhookSecret)
  ) {
    runtime.rejectedWebhooks += 1;
    return 400;
  }
  let event: RazorpayEvent;
  try {
    event = JSON.parse(rawBody) as RazorpayEvent;
  } catch {
    return 400;
  }
  const id = `razorpay:${headers['x-razorpay-event-id'] ?? rawBody}`;
  // The seeded bug trusts an invoice's own key and lets invoice.paid past the event-id check.
  const rebooks = event.event === 'invoice.paid' && bug(runtime, 'razorpayAddonBookedPerDelivery');
  if (!bug(runtime, 'noWebhookDedupe') && !rebooks && runtime.seenEvents.has(id)) return 200;
  const { payment, refund, token, dispute, invoice } = event.payload;
  // A refund or lost dispute of a payment not booked yet (its invoice.paid is late): not
  // acknowledged, so Razorpay delivers it again once the payment is in the books.
  if (!bug(runtime, 'refundBeforePaymentDropped') && awaitsItsPayment(runtime, event)) return 503;
  runtime.seenEvents.add(id);
  if (event.event === 'invoice.paid' && invoice !== undefined && payment !== undefined) {
    applyRazorpayInvoice(runtime, invoice.entity, payment.entity, 'webhook');
    return 200;
  }
  if (event.event === 'payment.dispute.lost' && dispute !== undefined) {
    applyLostDispute(runtime, dispute.entity);
    return 200;
  }
  if (event.event.startsWith('refund.') && refund !== undefined) {
    // A refund of a payment never captured is Razorpay giving back an authorisation: no money moved.
    if (payment !== undefined && !payment.entity.captured) return 200;
    applyRazorpayRefund(runtime, refund.entity, 'webhook');
  } else if (
    event.event.startsWith('payment.') &&
    !event.event.startsWith('payment.dispute') &&
    payment !== undefined
  ) {
    applyRazorpayPayment(runtime, payment.entity, 'webhook');
  } else if (event.event === 'token.confirmed' && token !== undefined) {
    for (const customer of runtime.customers.values()) {
      if (customer.razorpayCustomerId === token.entity.customer_id)
        customer.razorpayTokenId ??= token.entity.id;
    }
  }
  return 200;
}

function awaitsItsPayment(runtime: Runtime, event: RazorpayEvent): boolean {
  const { payment, refund, dispute } = event.payload;
  const paymentId = refund?.entity.payment_id ?? dispute?.entity.payment_id;
  if (paymentId === undefined || payment?.entity.captured === false) return false;
  const reverses = event.event.startsWith('refund.') || event.event === 'payment.dispute.lost';
  return reverses && !runtime.pspPayments.has(paymentId);
}

/** A lost dispute: the deducted amount leaves cash for good (a won one moved nothing). */
function applyLostDispute(runtime: Runtime, dispute: RazorpayDispute): void {
  if (bug(runtime, 'lostDisputeNeverPosted') || dispute.amount_deducted <= 0) return;
  const payment = runtime.payments.get(runtime.pspPayments.get(dispute.payment_id) ?? '');
  if (payment === undefined) return;
  book(runtime, 'webhook', {
    key: `razorpay-dispute:${dispute.id}`,
    at: nowIso(runtime),
    kind: 'dispute_withdrawal',
    customerId: payment.customerId,
    ref: { psp: 'razorpay', type: 'dispute', id: dispute.id },
    postings: transfer(
      accounts.disputesAt('razorpay'),
      accounts.cashAt('razorpay'),
      dispute.amount_deducted,
      dispute.currency.toLowerCase(),
    ),
  });
}
