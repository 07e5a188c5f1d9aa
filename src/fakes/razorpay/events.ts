import type { JsonValue } from '../../sim/canonical-json.ts';
import type { EventDraft } from './runtime.ts';

/** The webhook events the fake emits. */
export const razorpayEventTypes = [
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'order.paid',
  'refund.created',
  'refund.processed',
  'refund.failed',
  'token.confirmed',
  'payment.dispute.created',
  'payment.dispute.won',
  'payment.dispute.lost',
  'subscription.authenticated',
  'subscription.activated',
  'subscription.charged',
  'subscription.completed',
  'subscription.updated',
  'subscription.pending',
  'subscription.halted',
  'subscription.cancelled',
  'subscription.paused',
  'subscription.resumed',
  'invoice.paid',
  'payment_link.paid',
  'payment_link.partially_paid',
  'payment_link.cancelled',
  'payment_link.expired',
] as const;

type Entity =
  'payment' | 'order' | 'refund' | 'token' | 'dispute' | 'subscription' | 'invoice' | 'payment_link';

/**
 * Which entities an event's payload carries, in Razorpay's `contains` order. A subscription
 * event carries the payment too when a payment was attempted before it fired.
 */
export function containsOf(event: string, draft?: EventDraft): readonly Entity[] {
  if (event === 'order.paid') return ['payment', 'order'];
  if (event.startsWith('invoice.')) return ['payment', 'order', 'invoice'];
  if (event.startsWith('payment_link.'))
    return draft?.payment === undefined ? ['payment_link'] : ['payment_link', 'order', 'payment'];
  if (event.startsWith('subscription.'))
    return draft?.payment === undefined ? ['subscription'] : ['subscription', 'payment'];
  if (event.startsWith('refund.')) return ['refund', 'payment'];
  if (event.startsWith('token.')) return ['token'];
  if (event.startsWith('payment.dispute.')) return ['payment', 'dispute'];
  return ['payment'];
}

// The entity an event is about, where it is not the first the payload carries.
const subjects: Readonly<Record<string, Entity>> = {
  order: 'order',
  invoice: 'invoice',
  payment_link: 'payment_link',
};

/** The entity an event is about: the one the journal and the checker link it to. */
export function subjectOf(draft: EventDraft): string {
  const prefix = draft.event.split('.')[0]!;
  const entity =
    draft.event === 'order.paid' ? 'order' : (subjects[prefix] ?? containsOf(draft.event, draft)[0]);
  const main = entity === undefined ? undefined : draft[entity];
  if (main === undefined) throw new Error(`event ${draft.event} carries no ${entity ?? 'entity'}`);
  return main.id;
}

/**
 * A webhook body as Razorpay sends it:
 * `{entity:'event', account_id, event, contains, payload:{<entity>:{entity:{…}}}, created_at}`,
 * each entity a snapshot taken when the event fired.
 *
 * @example
 * eventBody('acc_1', { event: 'payment.captured', payment }, 1767225600);
 * // { entity: 'event', account_id: 'acc_1', event: 'payment.captured', contains: ['payment'], … }
 */
export function eventBody(accountId: string, draft: EventDraft, createdAt: number): JsonValue {
  const contains = containsOf(draft.event, draft);
  const payload: Record<string, JsonValue> = {};
  for (const entity of contains) {
    const snapshot = draft[entity];
    if (snapshot === undefined) throw new Error(`event ${draft.event} carries no ${entity}`);
    payload[entity] = { entity: snapshot as unknown as JsonValue };
  }
  return {
    entity: 'event',
    account_id: accountId,
    event: draft.event,
    contains: [...contains],
    payload,
    created_at: createdAt,
  };
}
