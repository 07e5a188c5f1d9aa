import { accounts, move } from './ledger.js';
import { idOf, nowIso } from './state.js';

/*
 * Mirrors Stripe objects in the ledger, whichever way they arrive (an API answer, a webhook, the
 * poll job), in any order and any number of times: every posting is keyed by the Stripe object
 * it mirrors, so only the first sight of each money movement books it.
 */

/**
 * Records what Stripe said about one attempt of an obligation; news of an older attempt cannot
 * undo a newer one, and nothing undoes `paid`.
 * @param {import('./state.js').Obligation} obligation
 */
export function observe(obligation, attempt, status) {
  if (obligation.status === 'paid') return;
  if (status === 'paid' || attempt === obligation.attempts) obligation.status = status;
}

const outcomes = { succeeded: 'paid', failed: 'failed', pending: 'pending' };

/**
 * Books a charge of one of our customers as Stripe reports it: cash ← receivable once the money
 * is captured, and its Stripe fee (when its balance transaction is expanded).
 * @param {import('./state.js').State} state
 * @param {import('stripe').Stripe.Charge} charge
 */
export function bookCharge(state, charge) {
  const customerId = state.stripeCustomers.get(idOf(charge.customer) ?? '');
  if (customerId === undefined) return;
  const obligation = state.obligations.get(charge.metadata?.obligation_id ?? '');
  if (obligation !== undefined) observe(obligation, Number(charge.metadata.attempt), outcomes[charge.status]);
  if (charge.status !== 'succeeded' || !charge.captured) return;
  state.charges.set(charge.id, customerId);
  state.ledger.post(`charge:${charge.id}`, {
    at: nowIso(state),
    kind: 'payment',
    customerId,
    ref: stripeRef('charge', charge.id),
    postings: move(charge.amount_captured, charge.currency, accounts.cash, accounts.receivable(customerId)),
  });
  bookFee(state, customerId, charge.balance_transaction);
}

/**
 * Books a refund of one of our charges once, and its reversal if it failed later. A refund of a
 * charge not booked yet is left for `syncCharge`, which books the charge first.
 * @param {import('./state.js').State} state
 * @param {import('stripe').Stripe.Refund} refund
 */
export function bookRefund(state, refund) {
  const customerId = state.charges.get(idOf(refund.charge) ?? '');
  if (customerId === undefined || refund.status === 'canceled') return;
  const base = { at: nowIso(state), customerId, ref: stripeRef('refund', refund.id) };
  const { amount, currency } = refund;
  state.ledger.post(`refund:${refund.id}`, {
    ...base,
    kind: 'refund',
    postings: move(amount, currency, accounts.refunds, accounts.cash),
  });
  if (refund.status === 'failed') {
    state.ledger.post(`refund-failure:${refund.id}`, {
      ...base,
      kind: 'refund_failure',
      postings: move(amount, currency, accounts.cash, accounts.refunds),
    });
  }
}

/**
 * Books a dispute as Stripe moves the money, one balance transaction at a time: the withdrawal
 * (and dispute fee) when it opens, the reinstatement if it is won. A lost one needs no more.
 * @param {import('./state.js').State} state
 * @param {import('stripe').Stripe.Dispute} dispute
 */
export function bookDispute(state, dispute) {
  const customerId = state.charges.get(idOf(dispute.charge) ?? '');
  if (customerId === undefined) return;
  for (const balance of dispute.balance_transactions ?? []) {
    state.ledger.post(`dispute:${balance.id}`, {
      at: nowIso(state),
      kind: balance.amount < 0 ? 'dispute_withdrawal' : 'dispute_reinstatement',
      customerId,
      ref: stripeRef('dispute', dispute.id),
      postings: move(-balance.amount, balance.currency, accounts.disputes, accounts.cash),
    });
    bookFee(state, customerId, balance);
  }
}

/** Books the Stripe fee of an (expanded) balance transaction, once. */
function bookFee(state, customerId, balance) {
  if (typeof balance !== 'object' || balance === null || balance.fee === 0) return;
  state.ledger.post(`fee:${balance.id}`, {
    at: nowIso(state),
    kind: 'fee',
    customerId,
    ref: stripeRef('balance_transaction', balance.id),
    postings: move(balance.fee, balance.currency, accounts.fees, accounts.cash),
  });
}

/** @returns {import('./ledger.js').Ref} */
const stripeRef = (type, id) => ({ psp: 'stripe', type, id });
