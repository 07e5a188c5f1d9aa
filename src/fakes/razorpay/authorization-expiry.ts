import { renderNotes, type RefundEntity } from './entities.ts';
import type { RazorpayContext } from './runtime.ts';
import type { PaymentRecord } from './store.ts';

/**
 * An authorisation nobody captured in time: Razorpay refunds it on its own. No money had moved
 * (it was never captured), but the payment ends `refunded` with a refund to show for it.
 */
export function expireAuthorization(
  context: RazorpayContext,
  record: PaymentRecord,
): RefundEntity | undefined {
  const { payment } = record;
  if (payment.status !== 'authorized' || payment.captured) return undefined;
  const refund: RefundEntity = {
    id: context.runtime.ids.razorpay('rfnd_'),
    entity: 'refund',
    amount: payment.amount,
    currency: payment.currency,
    payment_id: payment.id,
    notes: renderNotes({}),
    receipt: null,
    acquirer_data: { arn: null },
    created_at: context.nowSeconds,
    batch_id: null,
    status: 'processed',
    speed_processed: 'normal',
    speed_requested: 'normal',
  };
  context.runtime.store.refunds.set(refund.id, {
    refund,
    origin: 'authorization_expired',
    requestId: null,
    idempotencyKey: null,
    processedAt: context.nowSeconds,
    failedAt: null,
  });
  payment.amount_refunded = payment.amount;
  payment.refund_status = 'full';
  payment.status = 'refunded';
  context.emit({ event: 'refund.created', refund: { ...refund, status: 'pending' }, payment });
  context.emit({ event: 'refund.processed', refund, payment });
  return refund;
}
