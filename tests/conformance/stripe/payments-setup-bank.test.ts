import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStripeShape } from '../../support/fixture-keys.ts';
import { startStripe, type StripeHarness } from '../../support/stripe-harness.ts';
import { storedEvents } from './billing-support.ts';

let h: StripeHarness;
beforeAll(async () => (h = await startStripe()));
afterAll(() => h.close());

// `payment_method_types` on PaymentIntents predates the SDK's types; the Stripe CLI still sends it.
const legacyTypes = (types: string[]) => ({ payment_method_types: types }) as object;
const refused = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);
const typesOf = (id: string) =>
  storedEvents(h)
    .filter((event) => (event.data.object as { id?: string }).id === id)
    .map((event) => event.type);

describe('SetupIntents, bank payment methods and cash balances through the official SDK', () => {
  it('a SetupIntent attaches a verified card; a 3DS card needs action; a declining card fails the setup', async () => {
    const customer = await h.stripe.customers.create({});
    const ok = await h.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    // The SDK's type has `allowed_payment_method_types`, newer than the published fixture.
    expectStripeShape('setup_intent', ok, ['allowed_payment_method_types']);
    expect(ok.status).toBe('succeeded');
    expect((await h.stripe.paymentMethods.retrieve(ok.payment_method as string)).customer).toBe(customer.id);
    const challenged = await h.stripe.setupIntents.create({
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(challenged).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    const declined = await refused(
      h.stripe.setupIntents.create({ payment_method: 'pm_card_chargeDeclined', confirm: true }),
    );
    expect(declined).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined' });
    const failed = (declined as { raw: { setup_intent: Stripe.SetupIntent } }).raw.setup_intent;
    expect(await h.stripe.setupIntents.retrieve(failed.id)).toMatchObject({
      status: 'requires_payment_method',
    });
    expect(typesOf(failed.id)).toEqual(['setup_intent.created', 'setup_intent.setup_failed']);
    const canceled = await h.stripe.setupIntents.cancel(challenged.id);
    expect(canceled.status).toBe('canceled');
  });

  it('a SEPA debit is processing, then settles as its test IBAN says (charge, balance, webhook order)', async () => {
    const method = await h.stripe.paymentMethods.create({
      type: 'sepa_debit',
      sepa_debit: { iban: 'AT611904300234573201' },
      billing_details: { name: 'Jenny Rosen', email: 'jenny@example.com' },
    });
    expect(method.sepa_debit).toMatchObject({ country: 'AT', last4: '3201' });
    const intent = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: method.id,
      ...legacyTypes(['sepa_debit']),
      confirm: true,
    });
    expect(intent.status).toBe('processing');
    h.sim.clock.advanceBy(60_000);
    const settled = await h.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] });
    expect(settled.status).toBe('succeeded');
    expect((settled.latest_charge as Stripe.Charge).payment_method_details?.type).toBe('sepa_debit');
    expect(typesOf(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.processing',
      'payment_intent.succeeded',
    ]);
    const failing = await h.stripe.paymentIntents.create({
      amount: 500,
      currency: 'eur',
      payment_method_data: {
        type: 'sepa_debit',
        sepa_debit: { iban: 'AT861904300235473202' },
        billing_details: { name: 'Jenny Rosen' },
      },
      ...legacyTypes(['sepa_debit']),
      confirm: true,
    });
    h.sim.clock.advanceBy(60_000);
    expect((await h.stripe.paymentIntents.retrieve(failing.id)).status).toBe('requires_payment_method');
  });

  it('bank transfers into the cash balance fund a customer_balance payment, partly then fully', async () => {
    const customer = await h.stripe.customers.create({});
    const intent = await h.stripe.paymentIntents.create({
      amount: 20000,
      currency: 'jpy',
      customer: customer.id,
      ...legacyTypes(['customer_balance']),
      payment_method_data: { type: 'customer_balance' },
      payment_method_options: {
        customer_balance: { funding_type: 'bank_transfer', bank_transfer: { type: 'jp_bank_transfer' } },
      },
      confirm: true,
    });
    expect(intent).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'display_bank_transfer_instructions' },
    });
    const funded = await h.stripe.testHelpers.customers.fundCashBalance(customer.id, {
      amount: 12000,
      currency: 'jpy',
    });
    expectStripeShape('customer_cash_balance_transaction', funded, ['funded'], ['funded']);
    const partial = await h.stripe.paymentIntents.retrieve(intent.id);
    expect(partial.next_action?.display_bank_transfer_instructions?.amount_remaining).toBe(8000);
    await h.stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 9000, currency: 'jpy' });
    expect((await h.stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    const balance = await h.stripe.customers.retrieveCashBalance(customer.id);
    expectStripeShape('cash_balance', balance);
    expect(balance.available).toEqual({ jpy: 1000 });
    expect(typesOf(intent.id)).toContain('payment_intent.partially_funded');
  });

  it('a test token saved as a card source becomes the default source, and invoices charge it', async () => {
    const customer = await h.stripe.customers.create({});
    const card = await h.stripe.customers.createSource(customer.id, { source: 'tok_visa' });
    expectStripeShape('card', card);
    expect(((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).default_source).toBe(
      card.id,
    );
    await h.stripe.invoiceItems.create({ customer: customer.id, amount: 900, currency: 'usd' });
    const draft = await h.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    expect((await h.stripe.invoices.pay(draft.id)).status).toBe('paid');
  });

  it('a plan is a recurring price seen through the legacy Plan shape', async () => {
    const plan = await h.stripe.plans.create({
      currency: 'usd',
      interval: 'month',
      amount: 2000,
      product: { name: 'Gold' },
    });
    expectStripeShape('plan', plan);
    expect((await h.stripe.prices.retrieve(plan.id)).recurring?.interval).toBe('month');
    expect((await h.stripe.plans.update(plan.id, { nickname: 'gold' })).nickname).toBe('gold');
    expect(await h.stripe.plans.del(plan.id)).toMatchObject({ id: plan.id, deleted: true });
    expect(await refused(h.stripe.plans.retrieve(plan.id))).toMatchObject({ statusCode: 404 });
  });

  it('an inquiry card opens a warning_needs_response dispute that moves no money; closing it ends it', async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_createDisputeInquiry',
      confirm: true,
    });
    const [dispute] = (await h.stripe.disputes.list({ payment_intent: intent.id })).data;
    expect(dispute).toMatchObject({ status: 'warning_needs_response', balance_transactions: [] });
    expect((await h.stripe.disputes.close(dispute!.id)).status).toBe('warning_closed');
  });
});
