import type { JsonValue } from '../../sim/canonical-json.ts';
import { notesOf, renderNotes, type OrderEntity } from './entities.ts';
import { fail } from './errors.ts';
import { authorize, capture, createPayment, failPayment } from './payment-flow.ts';
import { paymentLinkOf } from './payment-links.ts';
import type { RazorpayContext, RazorpayRuntime } from './runtime.ts';
import { paymentLinkSignature } from './signing.ts';
import type { OrderRecord } from './store.ts';
import { bankPageFailure, razorpayTestCards, testCard } from './test-cards.ts';
import { AdminRefusal, runAction } from './work.ts';

/** The customer pays a payment link on Razorpay's page. */
export interface LinkPaymentInput {
  readonly paymentLinkId: string;
  /** A test card (default the Visa success card); a failure card fails unless `outcome` is `success`. */
  readonly card?: string;
  /** What they pay: the whole amount due unless the link takes partial payments. */
  readonly amount?: number;
  readonly outcome?: 'success' | 'failure';
}

/** The amount a link's next payment may be: all that is due, or a partial one the link allows. */
function amountOf(link: Link, asked: number | undefined): number {
  const due = link.amount - link.amount_paid;
  const amount = asked ?? due;
  if (amount <= 0 || amount > due) throw new AdminRefusal(`${amount} is not within the ${due} due`);
  if (!link.accept_partial && amount !== due) throw new AdminRefusal('the link takes no partial payment');
  if (link.amount_paid === 0 && amount < link.first_min_partial_amount && amount !== due)
    throw new AdminRefusal(`a first payment is at least ${link.first_min_partial_amount}`);
  return amount;
}

type Link = ReturnType<typeof paymentLinkOf>;

/** The order Razorpay makes for one payment of a link: its receipt the link's reference, its notes the link's. */
function linkOrder(context: RazorpayContext, link: Link, amount: number): OrderRecord {
  const { runtime } = context;
  const order: OrderEntity = {
    id: runtime.ids.razorpay('order_'),
    entity: 'order',
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency: link.currency,
    receipt: link.reference_id === '' ? null : link.reference_id,
    offer_id: null,
    status: 'created',
    attempts: 0,
    notes: renderNotes(notesOf(link.notes)),
    created_at: context.nowSeconds,
  };
  const record: OrderRecord = {
    order,
    keyId: runtime.keys[0]!.keyId,
    requestId: null,
    capture: 'automatic',
    partialPayment: false,
    customerId: null,
    mandate: null,
  };
  runtime.store.orders.set(order.id, record);
  return record;
}

/** A captured payment on the link: what it has been paid, its status, its list of payments. */
function paidOnLink(context: RazorpayContext, link: Link, paymentId: string, amount: number): Link['status'] {
  link.amount_paid += amount;
  link.status = link.amount_paid >= link.amount ? 'paid' : 'partially_paid';
  link.updated_at = context.nowSeconds;
  link.payments = [
    ...(link.payments ?? []),
    {
      amount,
      created_at: context.nowSeconds,
      method: 'card',
      payment_id: paymentId,
      plink_id: link.id,
      status: 'captured',
      updated_at: context.nowSeconds,
    },
  ];
  return link.status;
}

/**
 * The customer pays a payment link (a browser step, so a harness action): an order for the
 * payment, the payment authorised and captured, the link `partially_paid` or `paid`
 * (`payment_link.partially_paid` / `payment_link.paid` with the payment and order), and the
 * callback's fields signed with the key_secret (`payment_link_id|reference_id|status|payment_id`).
 */
export function payPaymentLink(runtime: RazorpayRuntime, input: LinkPaymentInput): JsonValue {
  return runAction(runtime, 'pay_payment_link', { paymentLinkId: input.paymentLinkId }, (context) => {
    const link = paymentLinkOf(context, input.paymentLinkId);
    if (link.status !== 'created' && link.status !== 'partially_paid')
      fail({ kind: 'link_not_payable', status: link.status });
    const amount = amountOf(link, input.amount);
    const card = testCard(input.card ?? razorpayTestCards.visaSuccess);
    const failure =
      input.outcome === 'success'
        ? undefined
        : input.outcome === 'failure'
          ? (card.failure ?? bankPageFailure)
          : card.failure;
    const orderRecord = linkOrder(context, link, amount);
    const record = createPayment(context, {
      order: orderRecord,
      amount,
      card,
      email: link.customer.email ?? null,
      contact: link.customer.contact === undefined ? null : String(link.customer.contact),
      customerId: null,
      tokenId: null,
      notes: notesOf(link.notes),
      description: link.description === '' ? null : link.description,
      origin: 'checkout',
    });
    const { payment } = record;
    const key = runtime.keys.find((candidate) => candidate.keyId === orderRecord.keyId)!;
    if (failure !== undefined) {
      failPayment(context, record, failure);
      return {
        error: {
          code: failure.code,
          description: failure.description,
          reason: failure.reason,
          metadata: { payment_id: payment.id },
        },
      };
    }
    authorize(context, record);
    capture(context, record, orderRecord);
    const status = paidOnLink(context, link, payment.id, amount);
    const event = status === 'paid' ? 'payment_link.paid' : 'payment_link.partially_paid';
    context.emit({ event, payment_link: link, order: orderRecord.order, payment });
    return {
      razorpay_payment_id: payment.id,
      razorpay_payment_link_id: link.id,
      razorpay_payment_link_reference_id: link.reference_id,
      razorpay_payment_link_status: status,
      razorpay_signature: paymentLinkSignature(link, payment.id, key.keySecret),
    };
  });
}
