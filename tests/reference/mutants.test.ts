import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardRefund, loseDispute, openDispute } from '../../src/fakes/stripe/payment-actions.ts';
import { refundSettleDelayMs } from '../../src/fakes/stripe/resources/refunds.ts';
import { mutantNames, type MutantName } from '../../src/reference/index.ts';
import type { Ledger } from '../../src/sut/contract.ts';
import {
  balance,
  expectMatchesStripe,
  feb1Plus2h,
  jan10,
  jpyCustomer,
  record42,
  startReference,
  stored,
  usdCustomer,
  type ReferenceRun,
} from './support.ts';

let runs: ReferenceRun[] = [];
afterEach(async () => {
  await Promise.all(runs.map((run) => run.close()));
  runs = [];
});

async function start(...args: Parameters<typeof startReference>): Promise<ReferenceRun> {
  const run = await startReference(...args);
  runs.push(run);
  return run;
}

/** Whether the ledger agrees with the fake Stripe (the checks of `expectMatchesStripe`). */
function agrees(run: ReferenceRun, ledger: Ledger, cashScopes: 'all' | 'platform' = 'all'): boolean {
  try {
    expectMatchesStripe(run, ledger, cashScopes);
    return true;
  } catch {
    return false;
  }
}

const chargeAmounts = (run: ReferenceRun) =>
  stored<Stripe.Charge>(run.h, 'charge').map((charge) => [charge.amount, charge.currency]);

/** byo: two currencies, 42 calls with a repeated eventId, billed at Feb 1 and the job run again. */
async function usageRun(mutant?: MutantName) {
  const run = await start('byo-stripe', mutant === undefined ? {} : { mutant });
  await run.sut.createCustomer(usdCustomer);
  await run.sut.createCustomer(jpyCustomer);
  await record42(run.sut, 'c_usd', jan10);
  await record42(run.sut, 'c_jpy', jan10);
  await run.advance(feb1Plus2h);
  await run.advance('2026-02-01T03:00:00.000Z');
  await run.deliverAndSettle();
  return { run, ledger: await run.sut.ledger() };
}

/** byo: our refund of a card whose refunds bounce, a dashboard refund, a lost dispute. */
async function reversalRun(mutant?: MutantName) {
  const run = await start('byo-stripe', mutant === undefined ? {} : { mutant });
  const { sut, h } = run;
  await sut.createCustomer(usdCustomer);
  await sut.createCustomer({ ...usdCustomer, customerId: 'c_bounce', paymentMethod: 'pm_card_refundFail' });
  await run.advance(feb1Plus2h);
  const [visa, bounce] = stored<Stripe.Charge>(h, 'charge');
  await sut.refund({ customerId: 'c_bounce', ref: bounce!.id, amount: 400, requestId: 'r_1' });
  dashboardRefund(h.fake.runtime, { chargeId: visa!.id, amount: 100 });
  loseDispute(h.fake.runtime, { disputeId: openDispute(h.fake.runtime, { chargeId: visa!.id }).id });
  await run.advance(new Date(Date.parse(feb1Plus2h) + refundSettleDelayMs).toISOString());
  await run.deliverAndSettle();
  return { run, ledger: await run.sut.ledger() };
}

describe('each seeded bug makes the ledger disagree with the fake Stripe', () => {
  it('declares at least 12 mutants', () => {
    expect(mutantNames.length).toBeGreaterThanOrEqual(12);
  });

  it('the correct service agrees in the usage and reversal runs', async () => {
    const usage = await usageRun();
    expect(chargeAmounts(usage.run)).toEqual([
      [1210, 'usd'],
      [626, 'jpy'],
    ]);
    expect(agrees(usage.run, usage.ledger)).toBe(true);
    const reversals = await reversalRun();
    expect(agrees(reversals.run, reversals.ledger)).toBe(true);
  });

  it.each([
    [
      'duplicateUsageBilled',
      [
        [1235, 'usd'],
        [641, 'jpy'],
      ],
    ],
    [
      'zeroDecimalTimes100',
      [
        [1210, 'usd'],
        [62_600, 'jpy'],
      ],
    ],
    [
      'billingJobRerunCharges',
      [
        [1210, 'usd'],
        [626, 'jpy'],
        [1210, 'usd'],
        [626, 'jpy'],
      ],
    ],
  ] as const)('%s: Stripe charged %j instead of 1210 USD and 626 JPY', async (mutant, charged) => {
    const { run, ledger } = await usageRun(mutant);
    expect(chargeAmounts(run)).toEqual(charged);
    const owed =
      balance(ledger, 'customer:c_usd:receivable', 'usd') +
      balance(ledger, 'customer:c_jpy:receivable', 'jpy');
    const billedOnce =
      mutant === 'zeroDecimalTimes100' ? owed !== 0 : balance(ledger, 'revenue:usage', 'usd') !== -210;
    expect(billedOnce).toBe(true);
  });

  it.each([
    'dashboardRefundIgnored',
    'lostDisputeNeverPosted',
    'refundFailureIgnored',
    'noWebhookDedupe',
  ] as const)('%s: refunds, disputes or payments no longer match', async (mutant) => {
    const { run, ledger } = await reversalRun(mutant);
    expect(agrees(run, ledger)).toBe(false);
  });

  it('noReconcileJob: a dashboard refund whose webhooks never arrive stays unbooked', async () => {
    for (const [mutant, booked] of [
      [undefined, true],
      ['noReconcileJob', false],
    ] as const) {
      const run = await start('byo-stripe', mutant === undefined ? {} : { mutant });
      await run.sut.createCustomer(usdCustomer);
      await run.advance(feb1Plus2h);
      const [charge] = stored<Stripe.Charge>(run.h, 'charge');
      // The endpoint is gone when the refund happens: nothing is delivered.
      run.h.fake.runtime.faults.load({ webhooks: [{ match: {}, effect: { kind: 'drop' } }] });
      dashboardRefund(run.h.fake.runtime, { chargeId: charge!.id, amount: 100 });
      await run.deliverAndSettle();
      expect(agrees(run, await run.sut.ledger()), String(mutant)).toBe(booked);
    }
  });

  it('retryMintsNewIdempotencyKey: a lost charge response retried under a new key charges twice', async () => {
    for (const [mutant, charges] of [
      [undefined, 1],
      ['retryMintsNewIdempotencyKey', 2],
    ] as const) {
      const run = await start('byo-stripe', mutant === undefined ? {} : { mutant });
      await run.sut.createCustomer(usdCustomer);
      run.h.fake.runtime.faults.load({
        api: [
          {
            phase: 'after',
            match: { method: 'POST', path: '/v1/payment_intents', nth: 1 },
            effect: { kind: 'server_error' },
          },
        ],
      });
      await run.advance(feb1Plus2h);
      await run.deliverAndSettle();
      expect(chargeAmounts(run), String(mutant)).toEqual(Array(charges).fill([1000, 'usd']));
      expect(balance(await run.sut.ledger(), 'customer:c_usd:receivable', 'usd') === 0).toBe(charges === 1);
    }
  });

  it('wrongConnectAccountCredited: a top-up is paid out to another tenant than the ledger says', async () => {
    for (const [mutant, right] of [
      [undefined, true],
      ['wrongConnectAccountCredited', false],
    ] as const) {
      const run = await start('embedded-stripe', {
        embeddedVariant: 'opaque',
        ...(mutant ? { mutant } : {}),
      });
      await run.sut.createCustomer(usdCustomer);
      await run.sut.createCustomer({ ...usdCustomer, customerId: 'c_two' });
      await run.sut.topUp({ customerId: 'c_two', amount: 1000, currency: 'usd', requestId: 'top_1' });
      await run.deliverAndSettle();
      const ledger = await run.sut.ledger();
      const [transfer] = stored<Stripe.Transfer>(run.h, 'transfer');
      const paidOut = balance(ledger, `psp:stripe:connect:${String(transfer!.destination)}`, 'usd');
      expect(paidOut === 900, `${mutant}: ${paidOut}`).toBe(right);
    }
  });

  it('nonAtomicWalletDebit: two concurrent events both spend one balance, below the floor', async () => {
    for (const [mutant, floor] of [
      [undefined, true],
      ['nonAtomicWalletDebit', false],
    ] as const) {
      const run = await start('embedded-stripe', mutant === undefined ? {} : { mutant });
      await run.sut.createCustomer(usdCustomer);
      await run.sut.topUp({ customerId: 'c_usd', amount: 100, currency: 'usd', requestId: 'top_1' });
      const spend = (eventId: string) =>
        run.sut.recordUsage({ customerId: 'c_usd', meter: 'api_call', quantity: 12, eventId, at: jan10 });
      await Promise.allSettled([spend('a'), spend('b')]);
      const wallet = balance(await run.sut.ledger(), 'customer:c_usd:wallet', 'usd');
      expect(wallet <= 0, `${mutant}: wallet ${wallet}`).toBe(floor);
    }
  });

  it('refundBeforePaymentDropped: a refund delivered before its invoice payment is lost', async () => {
    for (const [mutant, booked] of [
      [undefined, true],
      ['refundBeforePaymentDropped', false],
    ] as const) {
      const run = await start('managed-stripe', mutant === undefined ? {} : { mutant });
      const { h, sut } = run;
      await sut.createCustomer(usdCustomer);
      await run.deliverAndSettle();
      // invoice.paid of the renewal comes 10 min late, and the poll job cannot run meanwhile.
      h.fake.runtime.faults.load({
        api: [
          { phase: 'before', match: { method: 'GET', path: '/v1/events' }, effect: { kind: 'rate_limit' } },
        ],
        webhooks: [{ match: { eventType: 'invoice.paid' }, effect: { kind: 'delay', delayMs: 600_000 } }],
      });
      await run.advance(feb1Plus2h);
      const renewal = stored<Stripe.Charge>(h, 'charge').at(-1)!;
      dashboardRefund(h.fake.runtime, { chargeId: renewal.id, amount: 250 });
      await h.fake.flushWebhooks();
      h.fake.runtime.faults.clear();
      await run.advance('2026-02-01T02:10:00.000Z');
      await run.deliverAndSettle();
      expect(agrees(run, await sut.ledger()), String(mutant)).toBe(booked);
    }
  });

  it.each([
    ['badSignatureAccepted', 'whsec_forged', 0],
    ['staleSignatureAccepted', undefined, 3600],
  ] as const)(
    '%s: a forged dispute is booked instead of refused with 400',
    async (mutant, secret, ageSeconds) => {
      for (const bugged of [false, true]) {
        const run = await start('byo-stripe', bugged ? { mutant } : {});
        await run.sut.createCustomer(usdCustomer);
        await run.advance(feb1Plus2h);
        await run.deliverAndSettle();
        const [charge] = stored<Stripe.Charge>(run.h, 'charge');
        const payload = JSON.stringify(forgedDispute(charge!.id));
        const header = run.h.stripe.webhooks.generateTestHeaderString({
          payload,
          secret: secret ?? run.webhookSecret,
          timestamp: Math.floor(Date.now() / 1000) - ageSeconds,
        });
        const response = await fetch(run.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          body: payload,
        });
        expect(response.status, `bugged ${bugged}`).toBe(bugged ? 200 : 400);
        await run.deliverAndSettle();
        expect(agrees(run, await run.sut.ledger()), `bugged ${bugged}`).toBe(!bugged);
      }
    },
  );
});

function forgedDispute(chargeId: string) {
  return {
    id: 'evt_forged_1',
    object: 'event',
    type: 'charge.dispute.funds_withdrawn',
    created: 1_769_904_000,
    data: {
      object: {
        id: 'dp_forged_1',
        object: 'dispute',
        amount: 1000,
        currency: 'usd',
        charge: chargeId,
        status: 'needs_response',
        balance_transactions: [
          { id: 'txn_forged_1', object: 'balance_transaction', amount: -1000, fee: 1500, currency: 'usd' },
        ],
      },
    },
  };
}
