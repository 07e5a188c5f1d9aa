import Stripe from 'stripe';
import { bookCharge, bookDispute, bookRefund, observe } from './stripe-bookings.js';
import { InputError, customerOf, idOf } from './state.js';

/** The official SDK pointed at `apiBase`: fakepsp's fake Stripe, or https://api.stripe.com. */
export function createStripeClient(apiBase, secretKey) {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: url.hostname,
    port: Number(url.port || (protocol === 'http' ? 80 : 443)),
    protocol,
    // The SDK retries dropped connections, 409s and 5xx under the same Idempotency-Key, so a
    // lost response usually comes back as the object Stripe made the first time.
    maxNetworkRetries: 2,
  });
}

/**
 * Collects an obligation with a new attempt: a new PaymentIntent, charged off-session.
 * @param {import('./state.js').State} state
 * @param {import('./state.js').Obligation} obligation
 */
export async function attemptCharge(state, obligation) {
  obligation.attempts += 1;
  obligation.lastAttemptMs = state.nowMs;
  await sendAttempt(state, obligation);
}

/**
 * Sends the obligation's current attempt. The idempotency key names the obligation and the
 * attempt, so sending it again (the poll job re-driving a lost answer) gives the same charge.
 * @param {import('./state.js').State} state
 * @param {import('./state.js').Obligation} obligation
 */
export async function sendAttempt(state, obligation) {
  const customer = customerOf(state, obligation.customerId);
  const attempt = obligation.attempts;
  obligation.status = 'unknown';
  let intent;
  try {
    intent = await state.stripe.paymentIntents.create(
      {
        amount: obligation.amount,
        currency: obligation.currency,
        customer: customer.stripeCustomerId,
        payment_method: customer.paymentMethodId,
        off_session: true,
        confirm: true,
        metadata: { obligation_id: obligation.id, attempt: String(attempt) },
        expand: ['latest_charge.balance_transaction'],
      },
      { idempotencyKey: `${state.runId}:${obligation.id}:${attempt}` },
    );
  } catch (error) {
    if (
      error instanceof Stripe.errors.StripeCardError ||
      error instanceof Stripe.errors.StripeInvalidRequestError
    ) {
      // Stripe answered and took no money (a decline): dunning tries again later.
      observe(obligation, attempt, 'failed');
    } else {
      // Stripe may or may not have charged: `unknown` until the poll job finds out.
      console.error(`charging ${obligation.id} (attempt ${attempt}): ${error.message}`);
    }
    return;
  }
  // Charged, but booking it failed: it stays `unknown`, and the poll job books it.
  await applyIntent(state, intent).catch((error) => console.error(`booking ${intent.id}: ${error.message}`));
}

/**
 * Applies what Stripe says about one of our PaymentIntents: its API answer, or a webhook.
 * @param {import('./state.js').State} state
 * @param {Stripe.PaymentIntent} intent
 */
export async function applyIntent(state, intent) {
  const obligation = state.obligations.get(intent.metadata?.obligation_id ?? '');
  if (obligation === undefined) return;
  const charge = intent.latest_charge;
  if (intent.status !== 'succeeded') {
    const failed = intent.status === 'requires_payment_method' || intent.status === 'canceled';
    observe(obligation, Number(intent.metadata.attempt), failed ? 'failed' : 'pending');
  } else if (typeof charge === 'object' && typeof charge?.balance_transaction === 'object') {
    bookCharge(state, charge);
  } else {
    await syncCharge(state, idOf(charge));
  }
}

/**
 * Reads one charge back from Stripe and books everything that happened to it: the payment and
 * its fee, its refunds, its disputes. Webhooks call this rather than trusting their payload, so
 * a late, repeated or reordered delivery can only ever book what Stripe holds now.
 * @param {import('./state.js').State} state
 * @param {string | undefined} chargeId
 */
export async function syncCharge(state, chargeId) {
  if (chargeId === undefined) return;
  const charge = await state.stripe.charges.retrieve(chargeId, { expand: ['balance_transaction'] });
  bookCharge(state, charge);
  if (!state.charges.has(chargeId)) return;
  for await (const refund of state.stripe.refunds.list({ charge: chargeId, limit: 100 })) {
    bookRefund(state, refund);
  }
  for await (const dispute of state.stripe.disputes.list({ charge: chargeId, limit: 100 })) {
    bookDispute(state, dispute);
  }
}

/**
 * Refunds part of a charge for the service (`POST /fakepsp/refunds`). A repeated requestId is
 * the same refund: remembered here, and the idempotency key makes a retry after a lost answer
 * replay the refund Stripe already made.
 * @param {import('./state.js').State} state
 */
export async function refundCharge(state, { customerId, ref, amount, requestId }) {
  customerOf(state, customerId);
  if (state.refundRequests.has(requestId)) return;
  if (!state.charges.has(ref)) await syncCharge(state, ref);
  if (state.charges.get(ref) !== customerId) {
    throw new InputError(`ref: ${ref} is not a paid charge of customer ${customerId}`);
  }
  const refund = await state.stripe.refunds.create(
    { charge: ref, amount, metadata: { request_id: requestId } },
    { idempotencyKey: `${state.runId}:refund:${requestId}` },
  );
  state.refundRequests.set(requestId, refund.id);
  bookRefund(state, refund);
}
