import type Stripe from 'stripe';
import { bug, idOf, nowIso, onAccount, stripeOf, type ChargeOwner, type Runtime } from './context.ts';
import { accounts, transfer } from './ledger.ts';
import { applyIntent } from './payments.ts';
import { book, postFee, type Origin } from './postings.ts';

/** Whose a charge is: from the service's own book, else from the charge's customer at Stripe. */
export async function ownerOfCharge(
  runtime: Runtime,
  chargeId: string,
  account: string | undefined,
): Promise<ChargeOwner | undefined> {
  const known = runtime.charges.get(chargeId);
  if (known !== undefined) return known;
  const charge = await stripeOf(runtime).charges.retrieve(chargeId, {}, onAccount(account));
  const customerId = runtime.stripeCustomers.get(idOf(charge.customer) ?? '');
  if (customerId === undefined) return undefined;
  // The charge carries its PaymentIntent's metadata: our obligation id says what it paid for,
  // so a top-up refunded before its payment was booked still comes out of the wallet.
  const purpose = runtime.payments.get(charge.metadata?.obligation_id ?? '')?.purpose;
  const owner: ChargeOwner = { customerId, account, ...(purpose === undefined ? {} : { purpose }) };
  runtime.charges.set(chargeId, owner);
  return owner;
}

/**
 * Books a refund (ours or one made in the dashboard) when first seen, and its reversal when it
 * failed. A refund may arrive before its payment: it is booked anyway (the cash did move), and
 * the payment is looked up at once rather than waiting for its own event.
 */
export async function applyRefund(
  runtime: Runtime,
  refund: Stripe.Refund,
  account: string | undefined,
  origin: Origin,
): Promise<void> {
  const chargeId = idOf(refund.charge);
  if (chargeId === undefined || refund.status === 'canceled') return;
  const owner = await ownerOfCharge(runtime, chargeId, account);
  if (owner === undefined) return;
  if (bug(runtime, 'dashboardRefundIgnored') && refund.metadata?.request_id === undefined) return;
  const paymentBooked = runtime.ledger.has(`charge:${chargeId}`);
  if (bug(runtime, 'refundBeforePaymentDropped') && !paymentBooked) return;
  // The payment is booked first, so a refund that overtook it never drives a wallet below zero.
  if (!paymentBooked) await syncCharge(runtime, chargeId, account);
  const base = { at: nowIso(runtime), customerId: owner.customerId, ref: refundRef(refund.id) };
  // A refunded top-up comes out of the wallet; a refunded invoice payment out of revenue.
  const counter = owner.purpose === 'topup' ? accounts.wallet(owner.customerId) : accounts.refunds;
  const posted = book(runtime, origin, {
    ...base,
    key: `refund:${refund.id}`,
    kind: 'refund',
    postings: transfer(counter, accounts.cash, refund.amount, refund.currency),
  });
  const wallet = owner.purpose === 'topup' ? runtime.customers.get(owner.customerId) : undefined;
  if (posted && wallet !== undefined) wallet.walletMinor -= refund.amount;
  if (refund.status === 'failed' && !bug(runtime, 'refundFailureIgnored')) {
    const reversed = book(runtime, origin, {
      ...base,
      key: `refund-failed:${refund.id}`,
      kind: 'refund_failure',
      postings: transfer(accounts.cash, counter, refund.amount, refund.currency),
    });
    if (reversed && wallet !== undefined) wallet.walletMinor += refund.amount;
  }
}

const refundRef = (id: string) => ({ psp: 'stripe', type: 'refund', id }) as const;

async function syncCharge(runtime: Runtime, chargeId: string, account: string | undefined): Promise<void> {
  const stripe = stripeOf(runtime);
  const charge = await stripe.charges.retrieve(chargeId, { expand: ['payment_intent'] }, onAccount(account));
  const intent = charge.payment_intent;
  if (intent !== null && typeof intent !== 'string') await applyIntent(runtime, intent, account, 'poll');
}

/**
 * Books a dispute as Stripe moves the money: the withdrawal (amount and fee) when it opens,
 * the reinstatement if it is won. A lost dispute needs nothing more: the withdrawal stands.
 */
export async function applyDispute(
  runtime: Runtime,
  dispute: Stripe.Dispute,
  account: string | undefined,
  origin: Origin,
): Promise<void> {
  if (bug(runtime, 'lostDisputeNeverPosted')) return;
  const chargeId = idOf(dispute.charge);
  if (chargeId === undefined) return;
  const owner = await ownerOfCharge(runtime, chargeId, account);
  if (owner === undefined) return;
  const ref = { psp: 'stripe', type: 'dispute', id: dispute.id } as const;
  for (const balance of dispute.balance_transactions) {
    const withdrawal = balance.amount < 0;
    book(runtime, origin, {
      key: `${withdrawal ? 'dispute' : 'dispute-reinstated'}:${dispute.id}`,
      at: nowIso(runtime),
      kind: withdrawal ? 'dispute_withdrawal' : 'dispute_reinstatement',
      customerId: owner.customerId,
      ref,
      postings: withdrawal
        ? transfer(accounts.disputes, accounts.cash, -balance.amount, balance.currency)
        : transfer(accounts.cash, accounts.disputes, balance.amount, balance.currency),
    });
    postFee(runtime, origin, owner.customerId, balance);
  }
}
