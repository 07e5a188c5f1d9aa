import { bookCharge, bookDispute, bookRefund } from './stripe-bookings.js';
import { sendAttempt } from './stripe-payments.js';

/**
 * The poll job, run on every clock tick and on settle. It reads what Stripe holds — our
 * customers' charges with their balance transactions, then refunds and disputes — and books
 * whatever the ledger lacks, so a webhook lost for good still reaches the books. Then it
 * re-sends, under the same idempotency key, every charge attempt whose answer was lost.
 *
 * Listing everything keeps this template short; with a long history, page by `created` and
 * follow updates through `GET /v1/events` from a saved cursor instead.
 * @param {import('./state.js').State} state
 */
export async function pollStripe(state) {
  const { stripe } = state;
  for (const customer of state.customers.values()) {
    const charges = stripe.charges.list({
      customer: customer.stripeCustomerId,
      limit: 100,
      expand: ['data.balance_transaction'],
    });
    for await (const charge of charges) bookCharge(state, charge);
  }
  // Only refunds and disputes of charges booked above are ours; the rest are skipped.
  for await (const refund of stripe.refunds.list({ limit: 100 })) bookRefund(state, refund);
  for await (const dispute of stripe.disputes.list({ limit: 100 })) bookDispute(state, dispute);
  for (const obligation of state.obligations.values()) {
    if (obligation.status === 'unknown') await sendAttempt(state, obligation);
  }
}
