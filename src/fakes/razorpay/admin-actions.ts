import * as z from 'zod';
import type { JsonValue } from '../../sim/canonical-json.ts';
import type { AdminAction } from '../common/admin.ts';
import { authorizeMandate, lateCapture, payOnCheckout } from './checkout.ts';
import { disputePayment } from './disputes.ts';
import { razorpayError, RazorpayFailure } from './errors.ts';
import { paymentRecord } from './payments.ts';
import { failRefund, refundPayment, refundRecord } from './refunds.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { isCardNumber } from './test-cards.ts';
import { AdminRefusal, runAction } from './work.ts';

const id = z.string().min(1);
const card = z.string().refine(isCardNumber, 'a card number is 12 to 19 digits').optional();
const amount = z.number().int().positive().optional();
const notes = z.record(z.string(), z.union([z.string(), z.number()])).optional();

/** Drops `undefined` members, for exactOptionalPropertyTypes. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

const refusal = (message: string) => ({ status: 400, body: { error: { type: 'fakepsp_admin', message } } });

/**
 * The PSP-side actors the admin API exposes (`POST /_fakepsp/actions/<name>`): a customer on
 * hosted Checkout, the customer's bank, someone in the dashboard, a cardholder disputing.
 * Bodies are validated (400 `fakepsp_admin` when wrong); what Razorpay itself would refuse gets
 * Razorpay's own error (e.g. 400 "The id provided does not exist").
 */
export function razorpayAdminActions(runtime: RazorpayRuntime): Readonly<Record<string, AdminAction>> {
  const action =
    <S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => unknown): AdminAction =>
    (body) => {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return refusal(`${issue.path.join('.') || '(body)'}: ${issue.message}`);
      }
      try {
        return { status: 200, body: JSON.parse(JSON.stringify(run(parsed.data))) as JsonValue };
      } catch (error) {
        if (error instanceof AdminRefusal) return refusal(error.message);
        if (!(error instanceof RazorpayFailure)) throw error;
        const rendered = razorpayError(error.error);
        return { status: rendered.status, body: rendered.body };
      }
    };
  return {
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
      runtime.store.pending.captureHolds.push(input.customer_id ?? '*');
      runtime.sim.journal.append({
        kind: 'action',
        psp: 'razorpay',
        data: { action: 'hold_next_capture', customerId: input.customer_id ?? '*' },
      });
      return { held: runtime.store.pending.captureHolds.length };
    }),
    fail_next_refund: action(z.strictObject({}), () => {
      runtime.store.pending.refundFailures += 1;
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
