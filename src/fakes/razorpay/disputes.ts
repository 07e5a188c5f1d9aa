import type { DisputeEntity } from './entities.ts';
import { paymentRecord } from './payments.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { AdminRefusal, runAction } from './work.ts';

/** Days a merchant has to answer a chargeback. */
const respondDays = 7;

/**
 * The cardholder disputes a captured payment and the merchant loses or wins it:
 * `payment.dispute.created`, then `payment.dispute.lost` (the amount is deducted for good) or
 * `payment.dispute.won` (nothing moves).
 */
export function disputePayment(
  runtime: RazorpayRuntime,
  input: { readonly paymentId: string; readonly outcome: 'lost' | 'won'; readonly amount?: number },
): DisputeEntity {
  return runAction(runtime, 'dispute', { paymentId: input.paymentId, outcome: input.outcome }, (context) => {
    const record = paymentRecord(context, input.paymentId);
    const { payment } = record;
    if (!payment.captured) throw new AdminRefusal(`payment ${payment.id} was never captured`);
    const amount = input.amount ?? payment.amount;
    if (amount > payment.amount)
      throw new AdminRefusal(`a dispute of ${amount} exceeds payment ${payment.id}`);
    const dispute: DisputeEntity = {
      id: runtime.ids.razorpay('disp_'),
      entity: 'dispute',
      payment_id: payment.id,
      amount,
      currency: payment.currency,
      amount_deducted: 0,
      reason_code: 'chargeback',
      respond_by: context.nowSeconds + respondDays * 86_400,
      status: 'open',
      phase: 'chargeback',
      created_at: context.nowSeconds,
    };
    const stored = { dispute, lostAt: null as number | null };
    runtime.store.disputes.set(dispute.id, stored);
    context.emit({ event: 'payment.dispute.created', payment, dispute });
    dispute.status = input.outcome;
    if (input.outcome === 'lost') {
      dispute.amount_deducted = amount;
      stored.lostAt = context.nowSeconds;
    }
    context.emit({ event: `payment.dispute.${input.outcome}`, payment, dispute });
    return dispute;
  });
}
