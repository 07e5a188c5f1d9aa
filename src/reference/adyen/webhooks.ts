import { hmacValidator, Types } from '@adyen/api-library';
import { bug, nowIso, type Runtime } from '../context.ts';
import { accounts, transfer } from '../ledger.ts';
import { book } from '../postings.ts';
import { adyenOf } from './payments.ts';

type Item = Types.notification.NotificationRequestItem;
const Code = Types.notification.NotificationRequestItem.EventCodeEnum;

const validator = new hmacValidator();
const cash = accounts.cashAt('adyen');

/**
 * Receives one Adyen standard webhook: every item's HMAC must verify (else 401 and nothing is
 * applied), each item is applied once by pspReference + eventCode + success, and the answer is
 * a 2xx so Adyen's queue moves on.
 */
export async function receiveAdyenWebhook(runtime: Runtime, rawBody: string): Promise<number> {
  let items: Item[];
  try {
    const body = JSON.parse(rawBody) as Types.notification.Notification;
    items = (body.notificationItems ?? []).map((entry) => entry.NotificationRequestItem);
  } catch {
    return 400;
  }
  const { hmacKey } = adyenOf(runtime);
  const verified = items.every((item) => {
    // The seeded bug: an item without an hmacSignature is taken as it is.
    const unsigned = item.additionalData?.hmacSignature === undefined;
    if (unsigned && bug(runtime, 'unsignedWebhookAccepted')) return true;
    try {
      return validator.validateHMAC(item, hmacKey);
    } catch {
      return false;
    }
  });
  if (!verified && !bug(runtime, 'badSignatureAccepted')) {
    runtime.rejectedWebhooks += 1;
    return 401;
  }
  for (const item of items) {
    const id = `adyen:${item.pspReference}:${item.eventCode}:${item.success}`;
    const dedupe = !bug(runtime, 'noWebhookDedupe');
    if (dedupe && runtime.seenEvents.has(id)) continue;
    runtime.seenEvents.add(id);
    applyItem(runtime, item);
  }
  return 200;
}

/** Whose payment an item is about: the obligation behind the payment's pspReference. */
function obligationOf(runtime: Runtime, item: Item) {
  const paymentRef = item.originalReference ?? item.pspReference;
  const id = runtime.pspPayments.get(paymentRef) ?? item.merchantReference;
  return runtime.payments.get(id);
}

function applyItem(runtime: Runtime, item: Item): void {
  const payment = obligationOf(runtime, item);
  if (payment === undefined) return;
  const succeeded = item.success === Types.notification.NotificationRequestItem.SuccessEnum.True;
  const value = item.amount.value ?? 0;
  const currency = (item.amount.currency ?? payment.currency).toLowerCase();
  const base = { at: nowIso(runtime), customerId: payment.customerId, postings: [] };
  const counter =
    payment.purpose === 'topup'
      ? accounts.wallet(payment.customerId)
      : accounts.receivable(payment.customerId);
  const ref = (type: string) => ({ psp: 'adyen', type, id: item.pspReference }) as const;
  switch (item.eventCode) {
    case Code.Authorisation:
      if (!succeeded) runtime.payments.move(payment, 'failed');
      return;
    case Code.Capture:
      // The seeded bug books a capture Adyen reports as failed: `success` is a string.
      if (!succeeded && !bug(runtime, 'adyenCaptureFailureBooked')) {
        // The authorisation is given up; the next dunning attempt authorises afresh.
        if (runtime.payments.move(payment, 'failed')) delete payment.pspRef;
        return;
      }
      runtime.payments.move(payment, 'succeeded');
      book(runtime, 'webhook', {
        ...base,
        key: `adyen-capture:${item.pspReference}`,
        kind: payment.purpose === 'topup' ? 'topup' : 'payment',
        ref: ref('capture'),
        postings: transfer(cash, counter, value, currency),
      });
      return;
    case Code.CaptureFailed:
      book(runtime, 'webhook', {
        ...base,
        key: `adyen-capture-failed:${item.pspReference}`,
        kind: 'payment_reversal',
        ref: ref('capture'),
        postings: transfer(counter, cash, value, currency),
      });
      return;
    case Code.Refund:
      if (!succeeded) return;
      // Refunds the service asked for carry its request id as their reference; the rest were
      // made in the Customer Area, and the seeded bug forgets those.
      if (bug(runtime, 'dashboardRefundIgnored') && !runtime.refundRequests.has(item.merchantReference))
        return;
      book(runtime, 'webhook', {
        ...base,
        key: `adyen-refund:${item.pspReference}`,
        kind: 'refund',
        ref: ref('refund'),
        postings: transfer(payment.purpose === 'topup' ? counter : accounts.refunds, cash, value, currency),
      });
      return;
    case Code.RefundFailed:
      if (bug(runtime, 'refundFailureIgnored')) return;
      book(runtime, 'webhook', {
        ...base,
        key: `adyen-refund-failed:${item.pspReference}`,
        kind: 'refund_failure',
        ref: ref('refund'),
        postings: transfer(cash, payment.purpose === 'topup' ? counter : accounts.refunds, value, currency),
      });
      return;
    case Code.Chargeback:
      if (bug(runtime, 'lostDisputeNeverPosted')) return;
      book(runtime, 'webhook', {
        ...base,
        key: `adyen-chargeback:${item.pspReference}`,
        kind: 'dispute_withdrawal',
        ref: ref('chargeback'),
        postings: transfer(accounts.disputesAt('adyen'), cash, value, currency),
      });
      return;
    case Code.ChargebackReversed:
      if (bug(runtime, 'lostDisputeNeverPosted')) return;
      book(runtime, 'webhook', {
        ...base,
        key: `adyen-chargeback-reversed:${item.pspReference}`,
        kind: 'dispute_reinstatement',
        ref: ref('chargeback_reversal'),
        postings: transfer(cash, accounts.disputesAt('adyen'), value, currency),
      });
      return;
    default:
      return;
  }
}
