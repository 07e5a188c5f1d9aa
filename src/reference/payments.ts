import Stripe from 'stripe';
import { bug, customerOf, idOf, nextCount, nowIso, onAccount, stripeOf, type Runtime } from './context.ts';
import { accounts, transfer } from './ledger.ts';
import { pspAmount } from './money.ts';
import type { Payment } from './payment-book.ts';
import { book, postFee, type Origin } from './postings.ts';

export { PaymentBook, type Payment, type PaymentState } from './payment-book.ts';

/** Charges a payment obligation off-session; a new attempt after a decline gets a new key. */
export async function chargePayment(runtime: Runtime, payment: Payment): Promise<void> {
  payment.attempts += 1;
  payment.lastAttemptMs = runtime.nowMs;
  await driveIntent(runtime, payment);
}

/** Sends (or re-sends, same key) the current attempt's PaymentIntent and applies the answer. */
export async function driveIntent(runtime: Runtime, payment: Payment): Promise<void> {
  const customer = customerOf(runtime, payment.customerId);
  const params: Stripe.PaymentIntentCreateParams = {
    amount: pspAmount(runtime, payment.amount, payment.currency),
    currency: payment.currency,
    customer: customer.stripeCustomerId,
    payment_method: customer.paymentMethodId,
    off_session: true,
    confirm: true,
    metadata: { obligation_id: payment.id, fakepsp_customer_id: payment.customerId },
    ...(payment.destination === undefined
      ? {}
      : {
          transfer_data: { destination: payment.destination.account },
          application_fee_amount: payment.destination.applicationFee,
        }),
  };
  let intent: Stripe.PaymentIntent;
  try {
    intent = await createIntent(runtime, params, `pi:${payment.id}:${payment.attempts}`, payment.account);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError && error.payment_intent !== undefined) {
      intent = error.payment_intent;
    } else if (
      error instanceof Stripe.errors.StripeCardError ||
      error instanceof Stripe.errors.StripeInvalidRequestError
    ) {
      // Stripe answered and did not charge: a decline, or a request it refused.
      runtime.payments.move(payment, 'failed');
      return;
    } else {
      // The PSP may or may not have acted: the poll job finds out, under the same key.
      runtime.payments.move(payment, 'unknown');
      return;
    }
  }
  await applyIntent(runtime, intent, payment.account, 'api');
}

async function createIntent(
  runtime: Runtime,
  params: Stripe.PaymentIntentCreateParams,
  idempotencyKey: string,
  account: string | undefined,
): Promise<Stripe.PaymentIntent> {
  const stripe = stripeOf(runtime);
  if (!bug(runtime, 'retryMintsNewIdempotencyKey')) {
    return stripe.paymentIntents.create(params, { idempotencyKey, ...onAccount(account) });
  }
  for (let attempt = 1; ; attempt++) {
    const key = `${idempotencyKey}:${nextCount(runtime, 'minted-key')}`;
    try {
      return await stripe.paymentIntents.create(params, {
        idempotencyKey: key,
        maxNetworkRetries: 0,
        ...onAccount(account),
      });
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError || attempt >= 3) throw error;
    }
  }
}

/** Applies what Stripe says about a PaymentIntent of ours (API answer, webhook or poll). */
export async function applyIntent(
  runtime: Runtime,
  intent: Stripe.PaymentIntent,
  account: string | undefined,
  origin: Origin,
): Promise<void> {
  const payment = runtime.payments.get(intent.metadata?.obligation_id ?? '');
  // PaymentIntents of Stripe invoices are mirrored through invoice events instead.
  if (payment === undefined) return;
  payment.intentId ??= intent.id;
  if (intent.status === 'succeeded') {
    runtime.payments.move(payment, 'succeeded');
    const chargeId = idOf(intent.latest_charge);
    if (chargeId !== undefined) await postPayment(runtime, payment, chargeId, account, origin);
  } else if (intent.status === 'requires_payment_method' || intent.status === 'canceled') {
    runtime.payments.move(payment, 'failed');
  } else {
    runtime.payments.move(payment, 'processing');
  }
}

async function postPayment(
  runtime: Runtime,
  payment: Payment,
  chargeId: string,
  account: string | undefined,
  origin: Origin,
): Promise<void> {
  const stripe = stripeOf(runtime);
  runtime.charges.set(chargeId, { customerId: payment.customerId, account, purpose: payment.purpose });
  const charge = await stripe.charges.retrieve(
    chargeId,
    { expand: ['balance_transaction'] },
    onAccount(account),
  );
  const counter =
    payment.purpose === 'topup'
      ? accounts.wallet(payment.customerId)
      : accounts.receivable(payment.customerId);
  const posted = book(runtime, origin, {
    key: `charge:${charge.id}`,
    at: nowIso(runtime),
    kind: payment.purpose === 'topup' ? 'topup' : 'payment',
    customerId: payment.customerId,
    ref: { psp: 'stripe', type: 'charge', id: charge.id },
    postings: transfer(accounts.cash, counter, charge.amount, charge.currency),
  });
  if (posted && payment.purpose === 'topup')
    customerOf(runtime, payment.customerId).walletMinor += charge.amount;
  const balance = charge.balance_transaction;
  if (balance !== null && typeof balance !== 'string') postFee(runtime, origin, payment.customerId, balance);
  if (payment.destination !== undefined) {
    // The ledger credits the tenant the service meant to pay out to.
    const tenant = customerOf(runtime, payment.customerId).payoutAccount ?? payment.destination.account;
    postDestination(runtime, origin, payment, tenant, charge);
  }
}

/**
 * A destination charge moves the whole amount to the tenant's account, and Stripe takes the
 * application fee back from it to the platform.
 */
function postDestination(
  runtime: Runtime,
  origin: Origin,
  payment: Payment,
  account: string,
  charge: Stripe.Charge,
) {
  const at = nowIso(runtime);
  const transferId = idOf(charge.transfer);
  const feeId = idOf(charge.application_fee);
  const { customerId } = payment;
  if (transferId !== undefined) {
    book(runtime, origin, {
      key: `transfer:${transferId}`,
      at,
      kind: 'transfer',
      customerId,
      ref: { psp: 'stripe', type: 'transfer', id: transferId },
      postings: transfer(accounts.connected(account), accounts.cash, charge.amount, charge.currency),
    });
  }
  if (feeId !== undefined && (charge.application_fee_amount ?? 0) > 0) {
    book(runtime, origin, {
      key: `application-fee:${feeId}`,
      at,
      kind: 'application_fee',
      customerId,
      ref: { psp: 'stripe', type: 'application_fee', id: feeId },
      postings: transfer(
        accounts.cash,
        accounts.connected(account),
        charge.application_fee_amount!,
        charge.currency,
      ),
    });
  }
}

/** Where unfinished payments stand now: re-drive lost answers, look up the in-flight ones. */
export async function redrivePayments(runtime: Runtime): Promise<void> {
  const stripe = stripeOf(runtime);
  for (const payment of runtime.payments.all()) {
    // Adyen's and Razorpay's obligations are re-driven by their own modules.
    if ((payment.psp ?? 'stripe') !== 'stripe') continue;
    if (payment.state === 'unknown' || payment.state === 'created') {
      if (payment.attempts === 0) payment.attempts = 1;
      await driveIntent(runtime, payment);
    } else if (payment.state === 'processing' && payment.intentId !== undefined) {
      const intent = await stripe.paymentIntents.retrieve(payment.intentId, {}, onAccount(payment.account));
      await applyIntent(runtime, intent, payment.account, 'poll');
    }
  }
}
