import * as z from 'zod';
import type { AdminAction } from '../common/admin.ts';
import { action, defined, fields } from './action-kit.ts';
import { authorizeMandate, lateCapture, payOnCheckout } from './checkout.ts';
import { disputePayment } from './disputes.ts';
import { paymentRecord } from './payments.ts';
import { failRefund, refundPayment, refundRecord } from './refunds.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { subscriptionAdminActions } from './subscription-actions.ts';
import { runAction } from './work.ts';

const { id, card, amount, notes } = fields;

/**
 * The PSP-side actors the admin API exposes (`POST /_fakepsp/actions/<name>`): a customer on
 * hosted Checkout, the customer's bank, someone in the dashboard, a cardholder disputing.
 * Bodies are validated (400 `fakepsp_admin` when wrong); what Razorpay itself would refuse gets
 * Razorpay's own error (e.g. 400 "The id provided does not exist").
 */
export function razorpayAdminActions(runtime: RazorpayRuntime): Readonly<Record<string, AdminAction>> {
  return {
    ...subscriptionAdminActions(runtime),
    checkout: action(
      z.strictObject({ order_id: id, card, outcome: z.enum(['success', 'failure']).optional(), notes }),
      (input) =>
        payOnCheckout(
          runtime,
          defined({ orderId: input.order_id, card: input.card, outcome: input.outcome, notes: input.notes }),
        ),
    ),
    authorize_mandate: action(z.strictObject({ customer_id: id, card, order_id: id.optional() }), (input) =>
      authorizeMandate(
        runtime,
        defined({ customerId: input.customer_id, card: input.card, orderId: input.order_id }),
      ),
    ),
    late_capture: action(z.strictObject({ payment_id: id }), (input) =>
      lateCapture(runtime, { paymentId: input.payment_id }),
    ),
    dashboard_refund: action(z.strictObject({ payment_id: id, amount }), (input) =>
      runAction(runtime, 'dashboard_refund', { paymentId: input.payment_id }, (context) =>
        refundPayment(
          context,
          paymentRecord(context, input.payment_id),
          defined({ origin: 'dashboard' as const, amount: input.amount }),
        ),
      ),
    ),
    hold_next_capture: action(z.strictObject({ customer_id: id.optional() }), (input) => {
      // The next payment (of this customer, else anyone's) is authorised late, past the
      // automatic capture window: it stays `authorized` until captured or given back.
      runtime.store.unit.run(() => runtime.store.pending.captureHolds.push(input.customer_id ?? '*'));
      runtime.sim.journal.append({
        kind: 'action',
        psp: 'razorpay',
        data: { action: 'hold_next_capture', customerId: input.customer_id ?? '*' },
      });
      return { held: runtime.store.pending.captureHolds.length };
    }),
    fail_next_refund: action(z.strictObject({}), () => {
      runtime.store.unit.run(() => (runtime.store.pending.refundFailures += 1));
      runtime.sim.journal.append({ kind: 'action', psp: 'razorpay', data: { action: 'fail_next_refund' } });
      return { pending: runtime.store.pending.refundFailures };
    }),
    fail_refund: action(z.strictObject({ refund_id: id }), (input) =>
      runAction(runtime, 'fail_refund', { refundId: input.refund_id }, (context) =>
        failRefund(context, refundRecord(context, input.refund_id)),
      ),
    ),
    dispute: action(z.strictObject({ payment_id: id, outcome: z.enum(['lost', 'won']), amount }), (input) =>
      disputePayment(
        runtime,
        defined({ paymentId: input.payment_id, outcome: input.outcome, amount: input.amount }),
      ),
    ),
  };
}
