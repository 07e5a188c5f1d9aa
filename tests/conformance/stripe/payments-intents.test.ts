import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeThreeDs } from '../../../src/fakes/stripe/payment-actions.ts';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

// Keys newer than Stripe's published fixtures but present in the SDK's types.
const intentExtra = ['allowed_payment_method_types', 'payment_record'];

const declines: ReadonlyArray<readonly [string, string, string]> = [
  ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline'],
  ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
  ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
  ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
  ['pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'card_declined', 'card_velocity_exceeded'],
  ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
  ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
  ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
  ['pm_card_chargeCustomerFail', 'card_declined', 'generic_decline'],
];

describe('PaymentIntents: success', () => {
  it('confirms pm_card_visa: succeeded, a captured charge, a balance transaction with 2.9% + 30', async () => {
    const customer = await h.stripe.customers.create({ email: 'pay@example.com' });
    const intent = await h.stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      metadata: { order: 'o_1' },
    });
    expectStripeShape('payment_intent', intent, intentExtra);
    expect(intent).toMatchObject({ status: 'succeeded', amount_received: 2000, metadata: { order: 'o_1' } });
    expect(intent.payment_method).toMatch(/^pm_/);
    expect(intent.payment_method).not.toBe('pm_card_visa');
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expectStripeShape('charge', charge, ['presentment_details']);
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, captured: true, amount_captured: 2000 });
    const txn = await h.stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expectStripeShape('balance_transaction', txn);
    expect(txn).toMatchObject({ amount: 2000, fee: 88, net: 1912, type: 'charge', source: charge.id });
    const events = await h.stripe.events.list({ limit: 20 });
    const types = events.data.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['payment_intent.created', 'payment_intent.succeeded', 'charge.succeeded']),
    );
  });

  it('keeps zero-decimal amounts as given (jpy 500 is 500 yen)', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 500,
      currency: 'jpy',
      payment_method: 'pm_card_mastercard',
      confirm: true,
    });
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ amount: 500, currency: 'jpy', amount_captured: 500 });
  });

  it('creates without confirming, then confirms (requires_payment_method → requires_confirmation → succeeded)', async () => {
    const created = await h.stripe.paymentIntents.create({ amount: 1500, currency: 'usd' });
    expect(created.status).toBe('requires_payment_method');
    const withMethod = await h.stripe.paymentIntents.update(created.id, { payment_method: 'pm_card_visa' });
    expect(withMethod.status).toBe('requires_confirmation');
    const confirmed = await h.stripe.paymentIntents.confirm(created.id);
    expect(confirmed.status).toBe('succeeded');
    const listed = await h.stripe.paymentIntents.list({ limit: 100 });
    expect(listed.data.map((intent) => intent.id)).toContain(created.id);
  });
});

describe('PaymentIntents: declines', () => {
  it.each(declines)('%s → 402 %s / %s, intent back to requires_payment_method', async (pm, code, decline) => {
    const error = await h.stripe.paymentIntents
      .create({ amount: 1000, currency: 'usd', payment_method: pm, confirm: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardError = error as Stripe.errors.StripeCardError;
    expect(cardError).toMatchObject({
      statusCode: 402,
      type: 'StripeCardError',
      code,
      decline_code: decline,
    });
    const embedded = cardError.payment_intent!;
    expect(embedded.status).toBe('requires_payment_method');
    expect(embedded.last_payment_error).toMatchObject({ code, decline_code: decline, type: 'card_error' });
    const stored = await h.stripe.paymentIntents.retrieve(embedded.id);
    expect(stored.status).toBe('requires_payment_method');
    const charge = await h.stripe.charges.retrieve(stored.latest_charge as string);
    expect(charge).toMatchObject({ status: 'failed', paid: false, failure_code: code });
  });

  it('emits payment_intent.payment_failed and charge.failed for a decline', async () => {
    const error = (await h.stripe.paymentIntents
      .create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa_chargeDeclined', confirm: true })
      .catch((caught: unknown) => caught)) as Stripe.errors.StripeCardError;
    const events = await h.stripe.events.list({ limit: 10 });
    const ids = events.data.filter(
      (event) => (event.data.object as { id: string }).id === error.payment_intent!.id,
    );
    expect(ids.map((event) => event.type)).toContain('payment_intent.payment_failed');
    expect(events.data.map((event) => event.type)).toContain('charge.failed');
  });

  it('refuses to attach a card that declines, but attaches pm_card_chargeCustomerFail', async () => {
    const customer = await h.stripe.customers.create({});
    const error = await h.stripe.paymentMethods
      .attach('pm_card_visa_chargeDeclined', { customer: customer.id })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    const attached = await h.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    expect(attached.customer).toBe(customer.id);
  });
});

describe('PaymentIntents: 3D Secure', () => {
  it('pm_card_authenticationRequired on-session → requires_action; the challenge passes → succeeded', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('use_stripe_sdk');
    const passed = completeThreeDs(h.fake.runtime, { paymentIntentId: intent.id, outcome: 'pass' });
    expect(passed.status).toBe('succeeded');
    expect((await h.stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('a failed challenge → requires_payment_method with payment_intent_authentication_failure', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 3000,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    expect(intent.status).toBe('requires_action');
    completeThreeDs(h.fake.runtime, { paymentIntentId: intent.id, outcome: 'fail' });
    const failed = await h.stripe.paymentIntents.retrieve(intent.id);
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_payment_error?.code).toBe('payment_intent_authentication_failure');
  });

  it('off-session, a 3DS card declines with authentication_required', async () => {
    const customer = await h.stripe.customers.create({});
    const method = await h.stripe.paymentMethods.attach('pm_card_authenticationRequired', {
      customer: customer.id,
    });
    const error = await h.stripe.paymentIntents
      .create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method: method.id,
        confirm: true,
        off_session: true,
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      statusCode: 402,
      code: 'authentication_required',
      decline_code: 'authentication_required',
    });
  });

  it('off-session, a card saved with OnSetup needs no authentication', async () => {
    const customer = await h.stripe.customers.create({});
    const method = await h.stripe.paymentMethods.attach('pm_card_authenticationRequiredOnSetup', {
      customer: customer.id,
    });
    const intent = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      payment_method: method.id,
      confirm: true,
      off_session: true,
    });
    expect(intent.status).toBe('succeeded');
  });
});

describe('PaymentIntents: manual capture and cancel', () => {
  it('captures part of an authorization: amount_received, charge.captured, uncaptured rest released', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    expect(intent).toMatchObject({ status: 'requires_capture', amount_capturable: 5000, amount_received: 0 });
    const held = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(held).toMatchObject({ captured: false, balance_transaction: null });
    const tooMuch = await h.stripe.paymentIntents
      .capture(intent.id, { amount_to_capture: 6000 })
      .catch((caught: unknown) => caught);
    expect(tooMuch).toMatchObject({ statusCode: 400 });
    const captured = await h.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 });
    const charge = await h.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ captured: true, amount_captured: 3000, amount_refunded: 2000 });
    const txn = await h.stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(txn).toMatchObject({ amount: 3000, fee: 117 });
    const types = (await h.stripe.events.list({ limit: 10 })).data.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['charge.captured', 'payment_intent.amount_capturable_updated']),
    );
  });

  it('cancels an intent; a second cancel or a capture is 400 payment_intent_unexpected_state', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    const canceled = await h.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const again = await h.stripe.paymentIntents.cancel(intent.id).catch((caught: unknown) => caught);
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    const capture = await h.stripe.paymentIntents.capture(intent.id).catch((caught: unknown) => caught);
    expect(capture).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });
});

describe('PaymentIntents: bad input is a 400 naming the param, and changes nothing', () => {
  const attempts: ReadonlyArray<readonly [string, Record<string, unknown>, string, string]> = [
    ['a non-integer amount', { amount: '12.5', currency: 'usd' }, 'amount', 'parameter_invalid'],
    ['an unknown currency', { amount: 1000, currency: 'xyz' }, 'currency', 'parameter_invalid'],
    ['a missing amount', { currency: 'usd' }, 'amount', 'parameter_missing'],
    ['an amount under the minimum', { amount: 49, currency: 'usd' }, 'amount', 'amount_too_small'],
    [
      'an unknown customer',
      { amount: 1000, currency: 'usd', customer: 'cus_nope' },
      'customer',
      'resource_missing',
    ],
    [
      'an unknown payment method',
      { amount: 1000, currency: 'usd', payment_method: 'pm_nope' },
      'payment_method',
      'resource_missing',
    ],
  ];

  it.each(attempts)('%s', async (_name, params, param, code) => {
    const before = await h.stripe.paymentIntents.list({ limit: 100 });
    const error = await h.stripe.paymentIntents
      .create(params as unknown as Stripe.PaymentIntentCreateParams)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeError);
    expect((error as Stripe.errors.StripeError).statusCode).toBeLessThan(500);
    expect(error).toMatchObject({ param, code });
    const after = await h.stripe.paymentIntents.list({ limit: 100 });
    expect(after.data.map((intent) => intent.id)).toEqual(before.data.map((intent) => intent.id));
  });

  it("renders amount_too_small with Stripe's message", async () => {
    const error = await h.stripe.paymentIntents
      .create({ amount: 10, currency: 'usd' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 400, message: 'Amount must be at least $0.50 usd' });
  });
});
