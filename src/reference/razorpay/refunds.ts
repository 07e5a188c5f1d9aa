import type { Refunds } from 'razorpay/dist/types/refunds.d.ts';
import { bug, nowIso, type Runtime } from '../context.ts';
import { accounts, transfer } from '../ledger.ts';
import { pspAmount } from '../money.ts';
import { book, type Origin } from '../postings.ts';
import { applyRazorpayPayment, razorpayOf, statusOf } from './payments.ts';

// Refunds of Razorpay payments: asked by the service, told by webhooks, booked once.

const cash = accounts.cashAt('razorpay');

/** How often a refund whose answer was lost is asked again before the caller hears of it. */
const refundAttemptsMax = 3;

/** Refunds part of a captured Razorpay payment (idempotent by the request id). */
export async function refundRazorpay(
  runtime: Runtime,
  request: { readonly ref: string; readonly amount: number; readonly requestId: string; currency: string },
): Promise<void> {
  runtime.refundRequests.add(request.requestId);
  await catchUpBeforeRefund(runtime, request.ref);
  const ask = () =>
    razorpayOf(runtime).api.payments.refund(request.ref, {
      amount: pspAmount(runtime, request.amount, request.currency),
      notes: { request_id: request.requestId },
    });
  // The SDK does not retry, and a lost answer surfaces as a TypeError with no status: ask again
  // with the same X-Refund-Idempotency key, which gives back the same refund.
  for (let attempt = 1; ; attempt++) {
    try {
      applyRazorpayRefund(runtime, await ask(), 'api');
      return;
    } catch (error) {
      const status = statusOf(error);
      if ((status !== undefined && status < 500 && status !== 409) || attempt >= refundAttemptsMax)
        throw error;
    }
  }
}

/**
 * A refund is booked on books that are up to date with Razorpay: a top-up whose `payment.captured`
 * is still on its way is credited first, and an earlier refund that failed is reversed first, so
 * the wallet never pays out money it has not been given back.
 */
async function catchUpBeforeRefund(runtime: Runtime, paymentId: string): Promise<void> {
  const { api } = razorpayOf(runtime);
  if (!runtime.ledger.has(`razorpay-payment:${paymentId}`))
    applyRazorpayPayment(runtime, await api.payments.fetch(paymentId), 'api');
  const earlier = await api.payments.fetchMultipleRefund(paymentId, { count: 100 });
  for (const refund of earlier.items)
    if (refund.status === 'failed') applyRazorpayRefund(runtime, refund, 'api');
}

/** Books a processed refund once, and its reversal if it failed after all. */
export function applyRazorpayRefund(runtime: Runtime, refund: Refunds.RazorpayRefund, origin: Origin): void {
  const payment = runtime.payments.get(runtime.pspPayments.get(refund.payment_id) ?? '');
  if (payment === undefined) return;
  const requestId = (refund.notes as Record<string, string> | undefined)?.request_id;
  if (bug(runtime, 'dashboardRefundIgnored') && !runtime.refundRequests.has(requestId ?? '')) return;
  const counter = payment.purpose === 'topup' ? accounts.wallet(payment.customerId) : accounts.refunds;
  const base = {
    at: nowIso(runtime),
    customerId: payment.customerId,
    ref: { psp: 'razorpay', type: 'refund', id: refund.id } as const,
  };
  const amount = Number(refund.amount);
  const currency = refund.currency.toLowerCase();
  const wallet = payment.purpose === 'topup' ? runtime.customers.get(payment.customerId) : undefined;
  const refundKey = `razorpay-refund:${refund.id}`;
  // The seeded bug: a refund is money out whatever became of it, so one that failed stays booked.
  const ignoresFailure = bug(runtime, 'refundFailureIgnored');
  if (refund.status === 'processed' || (refund.status === 'failed' && ignoresFailure)) {
    const posted = book(runtime, origin, {
      ...base,
      key: refundKey,
      kind: 'refund',
      postings: transfer(counter, cash, amount, currency),
    });
    if (posted && wallet !== undefined) wallet.walletMinor -= amount;
  }
  // A Razorpay refund that fails never left (pending → failed): nothing to book. One booked as
  // processed and failing afterwards (the fake's `fail_refund`) is reversed, also when its
  // refund.failed was delivered first: a refund is never processed after it failed.
  if (refund.status === 'failed' && !runtime.ledger.has(refundKey)) runtime.refundsFailedFirst.add(refund.id);
  const failed = refund.status === 'failed' || runtime.refundsFailedFirst.has(refund.id);
  if (failed && !ignoresFailure && runtime.ledger.has(refundKey)) {
    const reversed = book(runtime, origin, {
      ...base,
      key: `razorpay-refund-failed:${refund.id}`,
      kind: 'refund_failure',
      postings: transfer(cash, counter, amount, currency),
    });
    if (reversed && wallet !== undefined) wallet.walletMinor += amount;
  }
}
