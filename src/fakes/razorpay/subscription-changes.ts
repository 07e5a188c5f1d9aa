import { fail } from './errors.ts';
import { allowOnly, booleanOf, integerOf, stringOf } from './params.ts';
import { planOf } from './plans.ts';
import { refundPayment } from './refunds.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import type { SubscriptionRecord } from './store.ts';
import { cancelNow, scheduleActivation } from './subscription-cycle.ts';
import type { PlanEntity, SubscriptionEntity } from './subscription-entities.ts';
import { chargeInvoice, issueInvoice } from './subscription-invoices.ts';
import { endOfCycles, moveTo } from './subscription-status.ts';
import { subscriptionOf } from './subscriptions.ts';
import { testCard } from './test-cards.ts';

const updateFields = [
  'plan_id',
  'offer_id',
  'quantity',
  'remaining_count',
  'start_at',
  'schedule_change_at',
  'customer_notify',
];

/** Razorpay refuses an immediate change whose prorated difference is smaller than this. */
export const prorationMinimum = 50;

/** The new per-cycle amount's difference, prorated over what is left of the current cycle. */
function proratedDifference(
  context: RazorpayContext,
  subscription: SubscriptionEntity,
  plan: PlanEntity,
  quantity: number,
) {
  const old = context.runtime.store.plans.get(subscription.plan_id)!;
  if (subscription.status !== 'active' || subscription.current_start === null) return 0;
  const cycle = subscription.current_end! - subscription.current_start;
  const left = Math.max(0, subscription.current_end! - context.nowSeconds);
  const perCycle = plan.item.amount * quantity - old.item.amount * subscription.quantity;
  return Math.round((perCycle * left) / cycle);
}

/**
 * Settles an immediate change's prorated difference: an upgrade is an invoice Razorpay charges
 * on the card now (a card that would fail refuses the change, leaving the subscription as it
 * was); a downgrade is refunded from the last payment (Razorpay's credit note).
 */
function settleDifference(
  context: RazorpayContext,
  record: SubscriptionRecord,
  plan: PlanEntity,
  difference: number,
) {
  if (difference === 0) return undefined;
  if (Math.abs(difference) < prorationMinimum) fail({ kind: 'proration_too_small' });
  const { store } = context.runtime;
  if (difference > 0) {
    if (testCard(record.cardNumber ?? '').failure !== undefined) fail({ kind: 'update_charge_failed' });
    const invoice = issueInvoice(context, record, {
      cycle: 0,
      plan,
      billingStart: context.nowSeconds,
      billingEnd: record.subscription.current_end,
      prorated: difference,
    });
    return chargeInvoice(context, record, invoice, { by: 'razorpay' }).payment;
  }
  const paid = store
    .invoicesOfSubscription(record.subscription.id)
    .filter((entry) => entry.invoice.payment_id !== null)
    .map((entry) => store.payments.get(entry.invoice.payment_id!)!)
    .filter((payment) => payment.payment.amount - payment.payment.amount_refunded >= -difference);
  const last = paid.at(-1);
  if (last !== undefined) refundPayment(context, last, { amount: -difference, origin: 'credit_note' });
  return undefined;
}

/**
 * PATCH /v1/subscriptions/:id `{plan_id?, quantity?, remaining_count?, start_at?,
 * schedule_change_at?, customer_notify?, offer_id?}`: only an authenticated or active
 * subscription. `cycle_end` waits for the cycle to end; `now` (the default) changes it at once,
 * charging or refunding the prorated difference, and says so with `subscription.updated`.
 */
export const updateSubscription: RazorpayHandler = (context, path) => {
  const record = subscriptionOf(context, path.id);
  const { subscription } = record;
  const { body } = context;
  allowOnly(body, updateFields);
  if (subscription.status !== 'authenticated' && subscription.status !== 'active')
    fail({ kind: 'subscription_not_updatable' });
  const plan = planOf(context, stringOf(body, 'plan_id') ?? subscription.plan_id);
  const current = context.runtime.store.plans.get(subscription.plan_id)!;
  if (plan.item.currency !== current.item.currency) fail({ kind: 'field_invalid', field: 'plan_id' });
  const quantity = integerOf(body, 'quantity') ?? subscription.quantity;
  if (quantity < 1) fail({ kind: 'field_at_least', field: 'quantity', min: 1 });
  const remainingCount = integerOf(body, 'remaining_count') ?? null;
  if (remainingCount !== null && remainingCount < 1)
    fail({ kind: 'field_at_least', field: 'remaining_count', min: 1 });
  const startAt = integerOf(body, 'start_at') ?? null;
  if (startAt !== null && (subscription.status !== 'authenticated' || startAt < context.nowSeconds))
    fail({ kind: 'field_invalid', field: 'start_at' });
  const when = stringOf(body, 'schedule_change_at') ?? 'now';
  if (when !== 'now' && when !== 'cycle_end') fail({ kind: 'field_invalid', field: 'schedule_change_at' });
  const offerId = stringOf(body, 'offer_id');
  if (offerId !== undefined && !context.runtime.store.offers.has(offerId)) fail({ kind: 'offer_not_found' });
  const notify = booleanOf(body, 'customer_notify');
  const settled = () => {
    if (notify !== undefined) subscription.customer_notify = notify;
    // An offer applies to the invoices issued from now on (Razorpay changes it at a cycle's end).
    if (offerId !== undefined) subscription.offer_id = offerId;
  };
  if (when === 'cycle_end' && subscription.status === 'active') {
    settled();
    record.scheduledChange = { planId: plan.id, quantity, remainingCount };
    subscription.has_scheduled_changes = true;
    subscription.change_scheduled_at = subscription.current_end;
    return subscription;
  }
  const payment = settleDifference(
    context,
    record,
    plan,
    proratedDifference(context, subscription, plan, quantity),
  );
  settled();
  subscription.plan_id = plan.id;
  subscription.quantity = quantity;
  if (remainingCount !== null) {
    subscription.total_count += remainingCount - subscription.remaining_count;
    subscription.remaining_count = remainingCount;
  }
  if (startAt !== null) {
    subscription.start_at = startAt;
    subscription.charge_at = startAt;
    scheduleActivation(context.runtime, record, startAt);
  }
  if (subscription.status === 'authenticated')
    subscription.end_at = endOfCycles(
      subscription.start_at ?? context.nowSeconds,
      subscription.total_count,
      plan,
    );
  context.emit({
    event: 'subscription.updated',
    subscription,
    ...(payment === undefined ? {} : { payment }),
  });
  return subscription;
};

/** GET /v1/subscriptions/:id/retrieve_scheduled_changes: the subscription as the change will leave it. */
export const pendingUpdate: RazorpayHandler = (context, path) => {
  const record = subscriptionOf(context, path.id);
  const change = record.scheduledChange ?? fail({ kind: 'no_scheduled_changes' });
  return { ...record.subscription, plan_id: change.planId, quantity: change.quantity };
};

/** POST /v1/subscriptions/:id/cancel_scheduled_changes */
export const cancelScheduledChanges: RazorpayHandler = (context, path) => {
  const record = subscriptionOf(context, path.id);
  if (record.scheduledChange === null) fail({ kind: 'no_scheduled_changes' });
  record.scheduledChange = null;
  record.subscription.has_scheduled_changes = false;
  record.subscription.change_scheduled_at = null;
  return record.subscription;
};

const cancellable = new Set(['created', 'authenticated', 'active', 'pending', 'halted', 'paused']);

/**
 * POST /v1/subscriptions/:id/cancel `{cancel_at_cycle_end?}` (the SDK sends `1`): now, or when
 * the current cycle ends (a subscription not billing yet is cancelled now either way).
 */
export const cancelSubscription: RazorpayHandler = (context, path) => {
  const record = subscriptionOf(context, path.id);
  const { subscription } = record;
  allowOnly(context.body, ['cancel_at_cycle_end']);
  const atCycleEnd = booleanOf(context.body, 'cancel_at_cycle_end') ?? false;
  if (!cancellable.has(subscription.status))
    fail({ kind: 'subscription_not_cancellable', status: subscription.status });
  if (atCycleEnd && subscription.current_end !== null && subscription.status !== 'paused') {
    record.cancelAtCycleEnd = true;
    return subscription;
  }
  cancelNow(context, record);
  return subscription;
};

/** POST /v1/subscriptions/:id/pause `{pause_at: 'now'}`: an active one pauses; an authenticated one is cancelled. */
export const pauseSubscription: RazorpayHandler = (context, path) => {
  const record = subscriptionOf(context, path.id);
  const { subscription } = record;
  allowOnly(context.body, ['pause_at']);
  const at = stringOf(context.body, 'pause_at') ?? 'now';
  if (at !== 'now') fail({ kind: 'field_invalid', field: 'pause_at' });
  if (subscription.status === 'authenticated') {
    cancelNow(context, record);
    return subscription;
  }
  if (subscription.status !== 'active')
    fail({ kind: 'subscription_not_pausable', status: subscription.status });
  moveTo(subscription, 'paused');
  subscription.paused_at = context.nowSeconds;
  subscription.pause_initiated_by = 'self';
  subscription.charge_at = null;
  context.emit({ event: 'subscription.paused', subscription });
  return subscription;
};

/** POST /v1/subscriptions/:id/resume `{resume_at: 'now'}`: billing goes on from the current cycle's end. */
export const resumeSubscription: RazorpayHandler = (context, path) => {
  const record = subscriptionOf(context, path.id);
  const { subscription } = record;
  allowOnly(context.body, ['resume_at']);
  const at = stringOf(context.body, 'resume_at') ?? 'now';
  if (at !== 'now') fail({ kind: 'field_invalid', field: 'resume_at' });
  if (subscription.status !== 'paused')
    fail({ kind: 'subscription_not_resumable', status: subscription.status });
  moveTo(subscription, 'active');
  subscription.pause_initiated_by = null;
  subscription.charge_at = subscription.current_end;
  context.emit({ event: 'subscription.resumed', subscription });
  return subscription;
};
