import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { recordBalanceTransaction } from './balance-transactions.ts';
import { record, recordOf } from './cash-balance-ledger.ts';
import { buildCharge, requireCharge, saveCharge } from './charges.ts';
import { debitOutcome } from './payment-method-kinds.ts';
import { moveTo, type Attempt } from './payment-intent-status.ts';

/** Stripe's SEPA Direct Debit fee in test mode: a flat 35 minor units. */
const sepaFee = 35;

// buildCharge renders card details; a bank debit's charge replaces them with its own.
const cardStub: Stripe.PaymentMethod.Card = {
  brand: 'unknown',
  checks: null,
  country: null,
  display_brand: null,
  exp_month: 0,
  exp_year: 0,
  funding: 'unknown',
  generated_from: null,
  last4: '',
  networks: null,
  regulated_status: null,
  three_d_secure_usage: null,
  wallet: null,
};

function bankCharge(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  method: Stripe.PaymentMethod,
  details: Stripe.Charge.PaymentMethodDetails,
): Stripe.Charge {
  const base = buildCharge(
    context,
    intent,
    { ...method, card: cardStub },
    { kind: 'authorized', captured: true },
  );
  return { ...base, payment_method_details: details };
}

/**
 * Confirms a PaymentIntent paid by bank: a SEPA debit goes `processing` and settles later as
 * its test IBAN says; a customer balance payment waits for bank transfers into the customer's
 * cash balance (`requires_action` with the transfer instructions).
 */
export function attemptNonCard(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  method: Stripe.PaymentMethod,
): Attempt {
  if (method.type === 'customer_balance') return awaitTransfer(context, intent);
  const sepa = method.sepa_debit!;
  const pending: Stripe.Charge = {
    ...bankCharge(context, intent, method, {
      type: 'sepa_debit',
      sepa_debit: {
        bank_code: sepa.bank_code,
        branch_code: sepa.branch_code,
        country: sepa.country,
        fingerprint: sepa.fingerprint,
        last4: sepa.last4,
        mandate: null,
      },
    }),
    status: 'pending',
    paid: false,
  };
  context.tx.put(pending);
  context.emit('charge.pending', pending);
  const processing = moveTo(intent, 'processing', {
    latest_charge: pending.id,
    next_action: null,
    last_payment_error: null,
  });
  context.tx.put(processing);
  context.emit('payment_intent.processing', processing);
  const outcome = debitOutcome(sepa.fingerprint);
  context.later({
    label: `sepa debit ${pending.id} ${outcome.result}`,
    delayMs: outcome.delaySeconds * 1000,
    run: (job) => settleDebit(job, intent.id, pending.id, outcome.result),
  });
  return { kind: 'processing', intent: processing };
}

function settleDebit(
  context: StripeContext,
  intentId: string,
  chargeId: string,
  result: 'succeeded' | 'failed',
): void {
  const intent = context.tx.get<Stripe.PaymentIntent>('payment_intent', intentId);
  if (intent?.status !== 'processing') return;
  const charge = requireCharge(context, chargeId);
  if (result === 'succeeded') {
    succeed(context, intent, charge, sepaFee);
    notifyCheckout(context, intent.id, 'checkout.session.async_payment_succeeded');
    return;
  }
  const failed = saveCharge(context, {
    ...charge,
    status: 'failed',
    failure_code: 'insufficient_funds',
    failure_message: 'The bank account has insufficient funds to cover this payment.',
  });
  context.emit('charge.failed', failed);
  const back = moveTo(intent, 'requires_payment_method', {
    last_payment_error: {
      type: 'invalid_request_error',
      charge: failed.id,
      code: 'insufficient_funds',
      message: failed.failure_message!,
      payment_method: context.tx.get<Stripe.PaymentMethod>(
        'payment_method',
        intent.payment_method as string,
      )!,
    },
  });
  context.tx.put(back);
  context.emit('payment_intent.payment_failed', back);
  notifyCheckout(context, intent.id, 'checkout.session.async_payment_failed');
}

/** The money arrived: the charge succeeds with its balance transaction, and so does the intent. */
export function succeed(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  charge: Stripe.Charge,
  fee: number,
) {
  const transaction = recordBalanceTransaction(context, {
    amount: charge.amount,
    currency: charge.currency,
    type: 'charge',
    source: charge.id,
    reportingCategory: 'charge',
    fees:
      fee === 0
        ? []
        : [
            {
              amount: fee,
              application: null,
              currency: charge.currency,
              description: 'Stripe processing fees',
              type: 'stripe_fee',
            },
          ],
    settles: true,
  });
  const paid = saveCharge(context, {
    ...charge,
    status: 'succeeded',
    paid: true,
    balance_transaction: transaction.id,
  });
  context.emit('charge.succeeded', paid);
  const succeeded = moveTo(intent, 'succeeded', {
    amount_received: intent.amount,
    next_action: null,
    latest_charge: paid.id,
  });
  context.tx.put(succeeded);
  context.emit('payment_intent.succeeded', succeeded);
  return succeeded;
}

function notifyCheckout(context: StripeContext, intentId: string, type: string): void {
  const session = context.tx.where<Stripe.Checkout.Session>(
    'checkout.session',
    'payment_intent',
    intentId,
  )[0];
  if (session === undefined) return;
  const settled: Stripe.Checkout.Session = {
    ...session,
    payment_status: type.endsWith('succeeded') ? 'paid' : 'unpaid',
  };
  context.tx.put(settled);
  context.emit(type, settled);
}

function awaitTransfer(context: StripeContext, intent: Stripe.PaymentIntent): Attempt {
  const waiting = moveTo(intent, 'requires_action', {
    next_action: transferInstructions(intent, intent.amount),
    last_payment_error: null,
  });
  context.tx.put(waiting);
  context.emit('payment_intent.requires_action', waiting);
  const customer = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
  if (customer !== undefined) applyCashBalance(context, customer);
  const now = context.tx.get<Stripe.PaymentIntent>('payment_intent', intent.id)!;
  return { kind: now.status === 'succeeded' ? 'succeeded' : 'requires_action', intent: now };
}

/** What the customer is told to transfer: the amount still missing. */
export function transferInstructions(
  intent: Stripe.PaymentIntent,
  remaining: number,
): Stripe.PaymentIntent.NextAction {
  return {
    type: 'display_bank_transfer_instructions',
    display_bank_transfer_instructions: {
      amount_remaining: remaining,
      currency: intent.currency,
      financial_addresses: [],
      hosted_instructions_url: `https://payments.stripe.com/bank_transfers/instructions/${intent.id}`,
      reference: intent.id.slice(-10).toUpperCase(),
      type:
        intent.currency === 'jpy'
          ? 'jp_bank_transfer'
          : intent.currency === 'eur'
            ? 'eu_bank_transfer'
            : 'us_bank_transfer',
    },
  } as Stripe.PaymentIntent.NextAction;
}

/** A customer balance charge: made once the intent is fully funded. */
export function customerBalanceCharge(context: StripeContext, intent: Stripe.PaymentIntent): Stripe.Charge {
  const method = context.tx.get<Stripe.PaymentMethod>('payment_method', intent.payment_method as string)!;
  const charge = {
    ...bankCharge(context, intent, method, { type: 'customer_balance', customer_balance: {} }),
    status: 'pending' as const,
    paid: false,
  };
  return context.tx.put(charge);
}

/**
 * With automatic reconciliation, cash goes to the customer's PaymentIntents waiting for a bank
 * transfer, oldest first: a fully funded one succeeds, a partly funded one says so
 * (`payment_intent.partially_funded`) and shows what is still missing.
 */
export function applyCashBalance(context: StripeContext, customer: string): void {
  let balance = recordOf(context, customer);
  if (balance.reconciliation !== 'automatic') return;
  const waiting = context.tx
    .where<Stripe.PaymentIntent>('payment_intent', 'customer', customer)
    .filter((intent) => intent.customer === customer && intent.status === 'requires_action')
    .filter((intent) => intent.next_action?.type === 'display_bank_transfer_instructions');
  for (const intent of waiting) {
    const available = balance.available[intent.currency] ?? 0;
    const missing = intent.next_action!.display_bank_transfer_instructions!.amount_remaining ?? intent.amount;
    const applied = Math.min(available, missing);
    if (applied <= 0) continue;
    balance = record(context, balance, {
      currency: intent.currency,
      net: -applied,
      type: 'applied_to_payment',
      extra: { applied_to_payment: { payment_intent: intent.id } },
    }).balance;
    if (applied === missing) {
      succeed(context, intent, customerBalanceCharge(context, intent), 0);
      continue;
    }
    const partial: Stripe.PaymentIntent = {
      ...intent,
      next_action: transferInstructions(intent, missing - applied),
    };
    context.tx.put(partial);
    context.emit('payment_intent.partially_funded', partial);
  }
}
