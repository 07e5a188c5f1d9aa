import type { PaymentEntity } from './entities.ts';
import type { RazorpayContext, RazorpayRuntime } from './runtime.ts';
import type { InvoiceRecord, SubscriptionRecord } from './store.ts';
import { chargeInvoice, issueInvoice } from './subscription-invoices.ts';
import { cycleEndOf, finalStatuses, moveTo } from './subscription-status.ts';
import { runAction } from './work.ts';

/** Razorpay retries a failed auto-charge the next day, and halts after the fourth failure. */
export const chargeAttemptsMax = 4;
export const chargeRetryDelayS = 86_400;

type Job = (context: RazorpayContext, record: SubscriptionRecord) => void;

/** Stops the subscription's waiting job (its next charge, retry or cycle end). */
export function cancelJob(runtime: RazorpayRuntime, record: SubscriptionRecord): void {
  const timers = runtime.store.subscriptionTimers;
  const waiting = timers.get(record.subscription.id);
  if (waiting !== undefined) runtime.sim.clock.cancel(waiting);
  timers.delete(record.subscription.id);
}

/** Schedules the subscription's one waiting job at `atS`, run as a unit of work of its own. */
function scheduleJob(
  runtime: RazorpayRuntime,
  record: SubscriptionRecord,
  atS: number,
  label: string,
  job: Job,
) {
  cancelJob(runtime, record);
  const id = record.subscription.id;
  const handle = runtime.sim.clock.schedule({
    atMs: atS * 1000,
    label: `razorpay: ${label} of ${id}`,
    run: () => {
      runtime.store.subscriptionTimers.delete(id);
      // A subscription whose request was rolled back after scheduling never existed.
      if (!runtime.store.subscriptions.has(id)) return;
      runAction(runtime, label, { subscriptionId: id }, (context) =>
        job(context, context.runtime.store.subscriptions.get(id)!),
      );
    },
  });
  runtime.store.subscriptionTimers.set(id, handle);
}

/** A created subscription nobody authenticated by `expire_by` (or by its `start_at`) expires. */
export function scheduleExpiry(runtime: RazorpayRuntime, record: SubscriptionRecord): void {
  const { expire_by: expireBy, start_at: startAt } = record.subscription;
  const deadlines = [expireBy, startAt].filter((at): at is number => at !== null);
  if (deadlines.length === 0) return;
  scheduleJob(runtime, record, Math.min(...deadlines), 'subscription_expired', (_context, later) => {
    if (later.subscription.status !== 'created') return;
    moveTo(later.subscription, 'expired');
    later.subscription.charge_at = null;
  });
}

function planOfRecord(context: RazorpayContext, record: SubscriptionRecord) {
  return context.runtime.store.plans.get(record.subscription.plan_id)!;
}

function lastPayment(context: RazorpayContext, record: SubscriptionRecord): PaymentEntity | undefined {
  const invoices = context.runtime.store
    .invoicesOfSubscription(record.subscription.id)
    .filter((entry) => entry.invoice.payment_id !== null);
  const paymentId = invoices.at(-1)?.invoice.payment_id ?? undefined;
  return paymentId === undefined ? undefined : context.runtime.store.payments.get(paymentId)?.payment;
}

/** Starts the first cycle now: `active`, `current_start`/`current_end`, the cycle job scheduled. */
export function startCycles(context: RazorpayContext, record: SubscriptionRecord): void {
  const { subscription } = record;
  subscription.current_start = context.nowSeconds;
  subscription.current_end = cycleEndOf(context.nowSeconds, planOfRecord(context, record));
  subscription.charge_at = subscription.current_end;
  moveTo(subscription, 'active');
  scheduleJob(context.runtime, record, subscription.current_end, 'subscription_cycle_end', renew);
}

/** Billing starts at `start_at` for a subscription authenticated earlier: its first charge. */
export function scheduleActivation(runtime: RazorpayRuntime, record: SubscriptionRecord, atS: number): void {
  scheduleJob(runtime, record, atS, 'subscription_started', (context, later) => {
    if (later.subscription.status !== 'authenticated') return;
    startCycles(context, later);
    context.emit({ event: 'subscription.activated', subscription: later.subscription });
    billCycle(context, later);
  });
}

/** Issues the current cycle's invoice (plan and unbilled add-ons) and auto-charges it. */
function billCycle(context: RazorpayContext, record: SubscriptionRecord): void {
  const { subscription } = record;
  const invoice = issueInvoice(context, record, {
    cycle: subscription.total_count - subscription.remaining_count + 1,
    plan: planOfRecord(context, record),
    billingStart: subscription.current_start,
    billingEnd: subscription.current_end,
  });
  subscription.remaining_count -= 1;
  collect(context, record, invoice);
}

/**
 * Razorpay's auto-charge of an invoice. Paid: `subscription.charged` (after `activated` when it
 * was pending or halted). Failed: `pending` and a retry tomorrow, or `halted` after the fourth
 * attempt, when the subscription waits for its next cycle; a halted one is not charged again.
 */
export function collect(context: RazorpayContext, record: SubscriptionRecord, invoice: InvoiceRecord): void {
  const { subscription } = record;
  const payment = chargeInvoice(context, record, invoice, { by: 'razorpay' }).payment;
  const cycleEnd = subscription.current_end!;
  if (payment.captured) {
    subscription.paid_count += 1;
    subscription.auth_attempts = 0;
    subscription.charge_at = cycleEnd;
    record.dueInvoiceId = null;
    if (subscription.status !== 'active') {
      moveTo(subscription, 'active');
      context.emit({ event: 'subscription.activated', subscription, payment });
    }
    context.emit({ event: 'subscription.charged', subscription, payment });
    scheduleJob(context.runtime, record, cycleEnd, 'subscription_cycle_end', renew);
    return;
  }
  subscription.auth_attempts += 1;
  record.dueInvoiceId = invoice.invoice.id;
  const retryAt = context.nowSeconds + chargeRetryDelayS;
  if (subscription.auth_attempts >= chargeAttemptsMax || retryAt >= cycleEnd) {
    moveTo(subscription, 'halted');
    subscription.charge_at = cycleEnd;
    context.emit({ event: 'subscription.halted', subscription });
    scheduleJob(context.runtime, record, cycleEnd, 'subscription_cycle_end', renew);
    return;
  }
  if (subscription.status !== 'pending') moveTo(subscription, 'pending');
  subscription.charge_at = retryAt;
  context.emit({ event: 'subscription.pending', subscription });
  scheduleJob(context.runtime, record, retryAt, 'subscription_charge_retry', (later, again) => {
    const due = later.runtime.store.invoices.get(again.dueInvoiceId ?? '');
    if (again.subscription.status === 'pending' && due?.invoice.status === 'issued')
      collect(later, again, due);
  });
}

/** Cancels now: `cancelled`, `ended_at`, no further charge. */
export function cancelNow(context: RazorpayContext, record: SubscriptionRecord): void {
  const { subscription } = record;
  moveTo(subscription, 'cancelled');
  subscription.ended_at = context.nowSeconds;
  subscription.charge_at = null;
  record.cancelAtCycleEnd = false;
  cancelJob(context.runtime, record);
  context.emit({ event: 'subscription.cancelled', subscription });
}

function complete(context: RazorpayContext, record: SubscriptionRecord): void {
  const { subscription } = record;
  moveTo(subscription, 'completed');
  subscription.ended_at = context.nowSeconds;
  subscription.charge_at = null;
  cancelJob(context.runtime, record);
  const payment = lastPayment(context, record);
  context.emit({
    event: 'subscription.completed',
    subscription,
    ...(payment === undefined ? {} : { payment }),
  });
}

/**
 * A cycle ends: a cancel or change waiting for it happens, then the next cycle begins and is
 * billed — auto-charged when active, invoiced only when halted, skipped while paused — or the
 * subscription completes once every cycle was billed.
 */
function renew(context: RazorpayContext, record: SubscriptionRecord): void {
  const { subscription } = record;
  if (finalStatuses.has(subscription.status)) return;
  if (record.cancelAtCycleEnd) return cancelNow(context, record);
  applyScheduledChange(context, record);
  if (subscription.remaining_count <= 0) return complete(context, record);
  const plan = planOfRecord(context, record);
  subscription.current_start = subscription.current_end;
  subscription.current_end = cycleEndOf(subscription.current_start!, plan);
  subscription.charge_at = subscription.status === 'paused' ? null : subscription.current_end;
  if (subscription.status === 'active') return billCycle(context, record);
  if (subscription.status !== 'paused') {
    // Halted (or still pending): invoices keep coming, but Razorpay charges none of them.
    issueInvoice(context, record, {
      cycle: subscription.total_count - subscription.remaining_count + 1,
      plan,
      billingStart: subscription.current_start,
      billingEnd: subscription.current_end,
    });
    subscription.remaining_count -= 1;
  }
  scheduleJob(context.runtime, record, subscription.current_end, 'subscription_cycle_end', renew);
}

/** Applies a change `schedule_change_at: cycle_end` asked for: `subscription.updated`. */
function applyScheduledChange(context: RazorpayContext, record: SubscriptionRecord): void {
  const change = record.scheduledChange;
  if (change === null) return;
  const { subscription } = record;
  subscription.plan_id = change.planId;
  subscription.quantity = change.quantity;
  if (change.remainingCount !== null) {
    subscription.total_count += change.remainingCount - subscription.remaining_count;
    subscription.remaining_count = change.remainingCount;
  }
  record.scheduledChange = null;
  subscription.has_scheduled_changes = false;
  subscription.change_scheduled_at = null;
  context.emit({ event: 'subscription.updated', subscription });
}
