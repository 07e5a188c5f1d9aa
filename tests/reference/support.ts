import type Stripe from 'stripe';
import { expect } from 'vitest';
import { createReferenceBillingSystem, type ReferenceOptions } from '../../src/reference/index.ts';
import type { ReferenceBillingSystem } from '../../src/reference/service.ts';
import type {
  BillingSystem,
  CreateCustomerRequest,
  IntegrationPattern,
  Ledger,
  LedgerTransaction,
} from '../../src/sut/contract.ts';
import { startStripe, type StripeHarness } from '../support/stripe-harness.ts';

export const jan1 = '2026-01-01T00:00:00.000Z';
export const jan10 = '2026-01-10T00:00:00.000Z';
export const feb1Plus2h = '2026-02-01T02:00:00.000Z';

/** A plan in USD: 10.00 a month plus 0.05 per api call. */
export const usdCustomer: CreateCustomerRequest = {
  customerId: 'c_usd',
  email: 'usd@billing.test',
  name: 'USD Customer',
  currency: 'usd',
  psp: 'stripe',
  paymentMethod: 'pm_card_visa',
  plan: { baseFeeMinor: 1000, unitPricesMinor: { api_call: 5 }, interval: 'month' },
};

/** A plan in JPY (zero-decimal): ¥500 a month plus ¥3 per api call. */
export const jpyCustomer: CreateCustomerRequest = {
  customerId: 'c_jpy',
  email: 'jpy@billing.test',
  name: 'JPY Customer',
  currency: 'jpy',
  psp: 'stripe',
  paymentMethod: 'pm_card_visa',
  plan: { baseFeeMinor: 500, unitPricesMinor: { api_call: 3 }, interval: 'month' },
};

/** A fake Stripe (express), the reference SUT set up against it, and the harness's moves. */
export interface ReferenceRun {
  readonly h: StripeHarness;
  readonly sut: BillingSystem;
  readonly webhookSecret: string;
  readonly webhookUrl: string;
  /** Moves the fake's clock and the SUT's to `iso`, then delivers the webhooks due. */
  advance(iso: string): Promise<void>;
  /** Delivers every webhook due now, then waits for the SUT to settle. */
  deliverAndSettle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a fake Stripe and the reference SUT. The harness registers the webhook endpoint as a
 * dashboard would: created first (its secret goes to `setup`), then pointed at the SUT's URL.
 */
export async function startReference(
  pattern: IntegrationPattern,
  options: ReferenceOptions = {},
  sut: BillingSystem & { close?: () => Promise<void> } = createReferenceBillingSystem(options),
): Promise<ReferenceRun> {
  const h = await startStripe(7, 'http');
  const endpoint = await h.stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/not-yet',
    enabled_events: ['*'],
  });
  const answer = await sut.setup({
    runId: 'run_1',
    seed: 7,
    pattern,
    now: new Date(h.sim.clock.nowMs()).toISOString(),
    psps: { stripe: { apiBase: h.baseUrl, secretKey: 'sk_test_fakepsp', webhookSecret: endpoint.secret! } },
  });
  expect(answer.patterns).toEqual([
    'byo-stripe',
    'managed-stripe',
    'managed-razorpay',
    'embedded-stripe',
    'multi-psp',
    'hybrid',
  ]);
  expect(answer.psps).toEqual(['stripe']);
  const webhookUrl = answer.webhooks.stripe!;
  await h.stripe.webhookEndpoints.update(endpoint.id, { url: webhookUrl });
  const deliverAndSettle = async () => {
    await h.fake.flushWebhooks();
    await sut.settle();
  };
  return {
    h,
    sut,
    webhookSecret: endpoint.secret!,
    webhookUrl,
    async advance(iso) {
      h.sim.clock.advanceTo(Date.parse(iso));
      await sut.advanceClock({ now: iso });
      await h.fake.flushWebhooks();
    },
    deliverAndSettle,
    async close() {
      await sut.close?.();
      await h.close();
    },
  };
}

/** Records 42 api calls for a customer in three events, one of them sent twice. */
export async function record42(sut: BillingSystem, customerId: string, at: string): Promise<void> {
  for (const [eventId, quantity] of [
    ['e1', 7],
    ['e2', 5],
    ['e3', 30],
    ['e2', 5],
  ] as const) {
    await sut.recordUsage({
      customerId,
      meter: 'api_call',
      quantity,
      eventId: `${customerId}:${eventId}`,
      at,
    });
  }
}

/** Every transaction balances per currency, and so does the whole ledger. */
export function expectBalanced(ledger: Ledger): void {
  const total = new Map<string, number>();
  for (const transaction of ledger.transactions) {
    const sums = new Map<string, number>();
    for (const posting of transaction.postings) {
      sums.set(posting.currency, (sums.get(posting.currency) ?? 0) + posting.amount);
      total.set(posting.currency, (total.get(posting.currency) ?? 0) + posting.amount);
    }
    for (const [currency, sum] of sums) expect(sum, `${transaction.id} in ${currency}`).toBe(0);
  }
  for (const [currency, sum] of total) expect(sum, `ledger in ${currency}`).toBe(0);
}

/** The sum of an account's postings (optionally one customer's transactions only). */
export function balance(ledger: Ledger, account: string, currency: string, customerId?: string): number {
  return ledger.transactions
    .filter((transaction) => customerId === undefined || transaction.customerId === customerId)
    .flatMap((transaction) => transaction.postings)
    .filter((posting) => posting.account === account && posting.currency === currency)
    .reduce((sum, posting) => sum + posting.amount, 0);
}

/** Ledger transactions of one kind (and customer). */
export function ofKind(ledger: Ledger, kind: string, customerId?: string): LedgerTransaction[] {
  return ledger.transactions.filter(
    (transaction) =>
      transaction.kind === kind && (customerId === undefined || transaction.customerId === customerId),
  );
}

/** Objects of a type in the fake's store, across the platform and connected accounts. */
export function stored<T>(h: StripeHarness, type: string): Array<T & { scope: string }> {
  const dump = h.fake.runtime.store.dump();
  return Object.entries(dump).flatMap(([scope, types]) =>
    ((types[type] ?? []) as unknown as T[]).map((object) => ({ ...object, scope })),
  );
}

/**
 * The ledger agrees with the fake: every captured charge, refund and dispute withdrawal is
 * booked exactly once with its amount and currency, nothing is booked that Stripe does not
 * have, and the ledger's cash equals the net of Stripe's balance transactions per currency.
 */
export function expectMatchesStripe(
  run: ReferenceRun,
  ledger: Ledger,
  cashScopes: 'all' | 'platform' = 'all',
): void {
  const cashOf = (transaction: LedgerTransaction) =>
    transaction.postings.filter((posting) => posting.account === 'psp:stripe:cash');
  const byRef = (type: string, id: string) =>
    ledger.transactions.filter((transaction) => transaction.ref?.type === type && transaction.ref.id === id);
  const charges = stored<Stripe.Charge>(run.h, 'charge').filter((charge) => charge.status === 'succeeded');
  for (const charge of charges) {
    const booked = byRef('charge', charge.id);
    expect(booked, `charge ${charge.id}`).toHaveLength(1);
    expect(cashOf(booked[0]!), `charge ${charge.id}`).toEqual([
      { account: 'psp:stripe:cash', amount: charge.amount, currency: charge.currency },
    ]);
  }
  for (const refund of stored<Stripe.Refund>(run.h, 'refund')) {
    const booked = byRef('refund', refund.id);
    const net = booked.flatMap(cashOf).reduce((sum, posting) => sum + posting.amount, 0);
    expect(net, `refund ${refund.id} (${refund.status})`).toBe(
      refund.status === 'failed' ? 0 : -refund.amount,
    );
  }
  for (const dispute of stored<Stripe.Dispute>(run.h, 'dispute')) {
    const net = byRef('dispute', dispute.id)
      .flatMap(cashOf)
      .reduce((sum, posting) => sum + posting.amount, 0);
    expect(net, `dispute ${dispute.id} (${dispute.status})`).toBe(
      dispute.status === 'won' ? 0 : -dispute.amount,
    );
  }
  const known = new Set(
    ['charge', 'refund', 'dispute', 'balance_transaction', 'transfer', 'invoice', 'application_fee'].flatMap(
      (type) => stored<{ id: string }>(run.h, type).map((object) => object.id),
    ),
  );
  for (const transaction of ledger.transactions) {
    if (transaction.ref !== null) expect(known, `phantom ${transaction.id}`).toContain(transaction.ref.id);
  }
  expect(ledgerCash(ledger)).toEqual(stripeNet(run, cashScopes));
}

function ledgerCash(ledger: Ledger): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const posting of ledger.transactions.flatMap((transaction) => transaction.postings)) {
    if (posting.account === 'psp:stripe:cash')
      sums[posting.currency] = (sums[posting.currency] ?? 0) + posting.amount;
  }
  return sums;
}

/** Net of every balance transaction at the fake (platform and connected accounts), per currency. */
export function stripeNet(run: ReferenceRun, scopes: 'all' | 'platform' = 'all'): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const balance of stored<Stripe.BalanceTransaction>(run.h, 'balance_transaction')) {
    if (scopes === 'platform' && balance.scope !== 'platform') continue;
    sums[balance.currency] = (sums[balance.currency] ?? 0) + balance.net;
  }
  return sums;
}

export type { ReferenceBillingSystem };
