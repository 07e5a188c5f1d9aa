import type { ScenarioContext } from '../scenarios/context.ts';
import { formatMoney, money } from '../sim/money.ts';
import type { Action } from './actions.ts';
import { quote } from './literal.ts';
import {
  actor,
  admitted,
  share,
  walletHeld,
  type CustomerState,
  type FoundPayment,
  type Model,
  type ResolvedStep,
} from './steps.ts';
import type { Vocabulary } from './vocabulary.ts';

// PSP-side actors: what happens at the PSP outside the billing service, in the written file as
// calls on the fakes' actors through the public scenario context.

/** A dashboard refund or a dispute of a paid payment, through Stripe's actors or the run's PSP view. */
export function reversalStep(
  ctx: ScenarioContext,
  vocabulary: Vocabulary,
  found: FoundPayment | string,
  action: Extract<Action, { kind: 'dashboardRefund' | 'dispute' }>,
): ResolvedStep | string {
  if (typeof found === 'string') return found;
  const { customer, ordinal } = found;
  const held = walletHeld(vocabulary, customer);
  if (held !== undefined) return held;
  const amount =
    action.kind === 'dashboardRefund' && action.share === 'part' ? share(found, 'part') : undefined;
  if (amount === 0) return `payment ${found.ref} is too small to refund in part`;
  const stripe = found.scope !== undefined;
  const { ref, scope, lookup } = found;
  if (action.kind === 'dispute') {
    const decide = action.outcome === 'lost' ? 'loseDispute' : 'winDispute';
    return actor(
      `${customer.id} disputes payment ${ordinal} and the merchant ${action.outcome === 'lost' ? 'loses' : 'wins'}`,
      stripe
        ? `{ const charge = ${lookup}; const dispute = ctx.actors.openDispute(charge.id, charge.scope); ` +
            `ctx.actors.${decide}(dispute.id, charge.scope); }`
        : `ctx.payments.dispute(${lookup}.ref, ${quote(action.outcome)})`,
      () => {
        customer.reversed = true;
        if (!stripe) return ctx.payments.dispute(ref, action.outcome);
        const dispute = ctx.actors.openDispute(ref, scope);
        ctx.actors[decide](dispute.id, scope);
      },
    );
  }
  const how = amount === undefined ? 'the rest' : formatMoney(money(amount, found.currency));
  const amountArgument = amount === undefined ? '' : `, ${amount}`;
  return actor(
    `support refunds ${how} of ${customer.id}'s payment ${ordinal} in the dashboard`,
    stripe
      ? `{ const charge = ${lookup}; ctx.actors.dashboardRefund(charge.id, ${amount ?? 'undefined'}, charge.scope); }`
      : `ctx.payments.dashboardRefund(${lookup}.ref${amountArgument})`,
    () => {
      customer.reversed = true;
      if (stripe) ctx.actors.dashboardRefund(ref, amount, scope);
      else ctx.payments.dashboardRefund(ref, amount);
    },
  );
}

/** The fake Adyen fails the next capture or refund it receives (`CAPTURE_FAILED`, `REFUND_FAILED`). */
export function adyenFailNextStep(
  ctx: ScenarioContext,
  action: Extract<Action, { kind: 'adyenFailNext' }>,
): ResolvedStep | string {
  const adyen = ctx.env.adyen;
  const name = action.operation === 'capture' ? 'fail_next_capture' : 'fail_next_refund';
  if (adyen === undefined || ctx.env.connections.adyen === undefined) return 'no fake Adyen';
  const merchantAccount = ctx.env.connections.adyen.merchantAccount;
  return actor(
    `Adyen will fail the next ${action.operation} (${action.operation.toUpperCase()}_FAILED follows)`,
    `ctx.env.adyen!.actions.${name}!({ merchantAccount: ctx.env.connections.adyen!.merchantAccount })`,
    () => admitted(adyen.actions[name]!({ merchantAccount })),
  );
}

/** The bank authorises a failed Razorpay payment late: `payment.failed`, then `payment.captured`. */
export function lateCaptureStep(
  ctx: ScenarioContext,
  model: Model,
  customer: CustomerState | undefined,
): ResolvedStep | string {
  const razorpay = ctx.env.razorpay;
  if (razorpay === undefined || customer === undefined) return 'no customer at the fake Razorpay';
  // One late capture per obligation: two failed attempts of one invoice both captured late is a
  // double charge the bank made, not the service.
  const dump = razorpay.dump();
  const obligationOf = (paymentId: string) => {
    const record = dump.payments.find((entry) => entry.payment.id === paymentId);
    const order = dump.orders.find((entry) => entry.order.id === record?.payment.order_id);
    const notes = { ...(order?.order.notes as object), ...(record?.payment.notes as object) } as Record<
      string,
      unknown
    >;
    return String(notes.obligation_id ?? notes.topup_id ?? record?.payment.order_id ?? paymentId);
  };
  const settled = new Set(
    dump.payments
      .filter((entry) => entry.payment.status === 'captured' || model.lateCaptured.has(entry.payment.id))
      .map((entry) => obligationOf(entry.payment.id)),
  );
  const failed = ctx.payments
    .records()
    .objects.find(
      (object) =>
        object.objectType === 'payment' &&
        object.status === 'failed' &&
        object.customerId === customer.id &&
        !settled.has(obligationOf(object.objectId)),
    );
  if (failed === undefined) return `${customer.id} has no failed Razorpay payment of an unpaid obligation`;
  return actor(
    `the bank authorises ${customer.id}'s failed payment ${failed.objectId} late: Razorpay captures it`,
    `ctx.env.razorpay!.actions.late_capture!({ payment_id: ${quote(failed.objectId)} })`,
    () => {
      admitted(razorpay.actions.late_capture!({ payment_id: failed.objectId }));
      model.lateCaptured.add(failed.objectId);
    },
  );
}

/** Razorpay authorises the next payment late and leaves it uncaptured: refunded after five days. */
export function holdCaptureStep(ctx: ScenarioContext): ResolvedStep | string {
  if (ctx.env.razorpay === undefined) return 'no fake Razorpay';
  return actor(
    'Razorpay authorises the next payment late and never captures it (refunded after 5 days)',
    'ctx.payments.holdNextCapture()',
    () => ctx.payments.holdNextCapture(),
  );
}

/** The bank bounces a processed Razorpay refund: `refund.failed`, the money comes back. */
export function failRefundStep(
  ctx: ScenarioContext,
  model: Model,
  customer: CustomerState | undefined,
): ResolvedStep | string {
  const razorpay = ctx.env.razorpay;
  if (razorpay === undefined || customer === undefined) return 'no customer at the fake Razorpay';
  const refund = ctx.payments
    .records()
    .movements.find(
      (movement) =>
        movement.kind === 'refund' &&
        movement.customerId === customer.id &&
        movement.status === 'processed' &&
        !model.failedRefunds.has(movement.objectId),
    );
  if (refund === undefined) return `${customer.id} has no processed Razorpay refund`;
  return actor(
    `the bank bounces refund ${refund.objectId} of ${customer.id}: the money comes back`,
    `ctx.env.razorpay!.actions.fail_refund!({ refund_id: ${quote(refund.objectId)} })`,
    () => {
      admitted(razorpay.actions.fail_refund!({ refund_id: refund.objectId }));
      model.failedRefunds.add(refund.objectId);
    },
  );
}
