import type Stripe from 'stripe';
import type { StripeContext } from '../context.ts';
import { behaviourOf, type Decline } from '../test-cards.ts';
import { moveTo, type Attempt } from './payment-intent-status.ts';
import { collectDirectFee, settleDestination } from './application-fees.ts';
import { feeDetail, recordBalanceTransaction, stripeCardFee } from './balance-transactions.ts';
import { buildCharge, saveCharge } from './charges.ts';
import { openDisputeFor } from './disputes.ts';
import { attemptNonCard } from './payment-intent-async.ts';
import { announceAvailability } from './balance-funds.ts';
import { requirePaymentMethod } from './payment-methods.ts';

const authenticationRequired: Decline = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

type Verdict = { kind: 'authorize' } | { kind: 'decline'; decline: Decline } | { kind: 'authenticate' };

function verdictFor(method: Stripe.PaymentMethod, offSession: boolean, authenticated: boolean): Verdict {
  const behaviour = behaviourOf(method.card?.fingerprint);
  switch (behaviour.kind) {
    case 'decline':
    case 'decline_on_charge':
      return { kind: 'decline', decline: behaviour.decline };
    case 'three_ds_always':
    case 'three_ds_on_setup': {
      // A card saved through setup needs no further authentication off-session.
      const exempt = behaviour.kind === 'three_ds_on_setup' && offSession && method.customer !== null;
      if (authenticated || exempt) return { kind: 'authorize' };
      return offSession ? { kind: 'decline', decline: authenticationRequired } : { kind: 'authenticate' };
    }
    default:
      return { kind: 'authorize' };
  }
}

/**
 * Confirms a PaymentIntent that has a payment method: authorizes at the "network" and either
 * captures, holds for capture, asks for 3DS, or records the decline. Writes and emits all of it.
 */
export function attemptPayment(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  options: { readonly offSession: boolean; readonly authenticated?: boolean },
): Attempt {
  const method = requirePaymentMethod(context, intent.payment_method as string, 'payment_method');
  if (method.type !== 'card') return attemptNonCard(context, intent, method);
  const verdict = verdictFor(method, options.offSession, options.authenticated === true);
  if (verdict.kind === 'authenticate') {
    const waiting = moveTo(intent, 'requires_action', {
      next_action: threeDsAction(intent),
      last_payment_error: null,
    });
    context.tx.put(waiting);
    context.emit('payment_intent.requires_action', waiting);
    return { kind: 'requires_action', intent: waiting };
  }
  if (verdict.kind === 'decline') return decline(context, intent, method, verdict.decline);
  const manual = intent.capture_method === 'manual';
  const charge = context.tx.put(
    buildCharge(context, intent, method, { kind: 'authorized', captured: false }),
  );
  if (manual) {
    context.emit('charge.succeeded', charge);
    const held = moveTo(intent, 'requires_capture', {
      amount_capturable: intent.amount,
      latest_charge: charge.id,
      next_action: null,
      last_payment_error: null,
    });
    context.tx.put(held);
    context.emit('payment_intent.amount_capturable_updated', held);
    return { kind: 'requires_capture', intent: held };
  }
  const paid = captureCharge(context, { ...intent, latest_charge: charge.id }, charge, intent.amount, false);
  return { kind: 'succeeded', intent: paid };
}

function threeDsAction(intent: Stripe.PaymentIntent): Stripe.PaymentIntent.NextAction {
  return {
    type: 'use_stripe_sdk',
    use_stripe_sdk: {
      type: 'three_d_secure_redirect',
      stripe_js: `https://hooks.stripe.com/redirect/authenticate/${intent.id}`,
    },
  } as Stripe.PaymentIntent.NextAction;
}

function decline(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  method: Stripe.PaymentMethod,
  reason: Decline,
): Attempt {
  const charge = context.tx.put(buildCharge(context, intent, method, { kind: 'declined', decline: reason }));
  context.emit('charge.failed', charge);
  const failed = moveTo(intent, 'requires_payment_method', {
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: {
      type: 'card_error',
      charge: charge.id,
      code: reason.code as Stripe.PaymentIntent.LastPaymentError.Code,
      decline_code: reason.declineCode,
      doc_url: `https://stripe.com/docs/error-codes/${reason.code.replaceAll('_', '-')}`,
      message: reason.message,
      payment_method: method,
    },
  });
  context.tx.put(failed);
  context.emit('payment_intent.payment_failed', failed);
  return { kind: 'declined', intent: failed, decline: reason };
}

/**
 * Captures `amount` of an authorized charge: the balance moves (less Stripe's fee), Connect
 * money follows, the uncaptured rest is released, and a dispute card is disputed at once.
 */
export function captureCharge(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
  charge: Stripe.Charge,
  amount: number,
  manual: boolean,
): Stripe.PaymentIntent {
  const directFee = context.account === undefined ? 0 : (charge.application_fee_amount ?? 0);
  const fees = [feeDetail(stripeCardFee(amount), charge.currency, 'stripe_fee', 'Stripe processing fees')];
  if (directFee > 0) fees.push(feeDetail(directFee, charge.currency, 'application_fee', 'Application fee'));
  const behaviour = behaviourOf(charge.payment_method_details?.card?.fingerprint).kind;
  const transaction = recordBalanceTransaction(context, {
    amount,
    currency: charge.currency,
    type: 'charge',
    source: charge.id,
    reportingCategory: 'charge',
    fees,
    settles: behaviour !== 'bypass_pending',
  });
  announceAvailability(context, transaction);
  let captured: Stripe.Charge = {
    ...charge,
    captured: true,
    amount_captured: amount,
    // Stripe releases the uncaptured rest of the authorization, shown as refunded.
    amount_refunded: charge.amount - amount,
    balance_transaction: transaction.id,
  };
  const destination = settleDestination(context, captured);
  if (destination !== undefined) {
    captured = { ...captured, transfer: destination.transfer, application_fee: destination.fee?.id ?? null };
  }
  const direct = collectDirectFee(context, captured);
  if (direct !== undefined) captured = { ...captured, application_fee: direct.id };
  captured = saveCharge(context, captured);
  context.emit(manual ? 'charge.captured' : 'charge.succeeded', captured);
  const paid = moveTo(intent, 'succeeded', {
    amount_capturable: 0,
    amount_received: amount,
    next_action: null,
    last_payment_error: null,
  });
  context.tx.put(paid);
  context.emit('payment_intent.succeeded', paid);
  if (behaviour === 'dispute') openDisputeFor(context, captured);
  if (behaviour === 'dispute_inquiry') openDisputeFor(context, captured, 'fraudulent', 'inquiry');
  return paid;
}

/** The 3DS challenge failed: the intent needs a new payment method (no charge is made). */
export function failAuthentication(
  context: StripeContext,
  intent: Stripe.PaymentIntent,
): Stripe.PaymentIntent {
  const method = requirePaymentMethod(context, intent.payment_method as string, 'payment_method');
  const failed = moveTo(intent, 'requires_payment_method', {
    next_action: null,
    last_payment_error: {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: method,
    },
  });
  context.tx.put(failed);
  context.emit('payment_intent.payment_failed', failed);
  return failed;
}
