import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PspObjectRecord } from '../../src/assertions/psp-records.ts';
import { reconcile } from '../../src/assertions/reconcile.ts';
import { periodEndMs } from '../../src/sut/plan-periods.ts';
import type { CreateCustomerRequest, Plan } from '../../src/sut/contract.ts';
import { fakepspMatchers } from '../../src/assertions/vitest.ts';
import { invoiceTxn, movement, paymentTxn, stripe } from './builders.ts';

expect.extend(fakepspMatchers);

const start = Date.UTC(2026, 0, 1);
const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const customerWith = (plan: Plan): CreateCustomerRequest => ({
  customerId: 'c_1',
  email: 'a@example.com',
  name: 'A',
  currency: 'usd',
  psp: 'stripe',
  paymentMethod: 'pm_card_visa',
  plan,
});

interface Usage {
  readonly dayOffset: number;
  readonly quantity: number;
  readonly eventId: string;
  /** Days after the event the harness told the service (late usage). */
  readonly lateDays?: number;
}

/** What a run with these charges and this usage reconciles to, the run ending `untilDays` in. */
function run(
  plan: Plan,
  charges: readonly number[],
  usage: readonly Usage[],
  untilDays: number,
  extra: PspObjectRecord[] = [],
  repricedAtPsp: { psp: string; pspCustomerId: string }[] = [],
  billing: 'plan' | 'psp-meter' = 'plan',
) {
  const captures = charges.map((amount, n) => movement('capture', `ch_${n}`, amount));
  const ledger = {
    transactions: charges.flatMap((amount, n) => [
      invoiceTxn(`t_inv_${n}`, 'c_1', amount, 'usd'),
      paymentTxn(`t_pay_${n}`, 'c_1', `ch_${n}`, amount, 'usd'),
    ]),
  };
  const accepted = usage.map((event) => ({
    customerId: 'c_1',
    meter: 'tokens',
    eventId: event.eventId,
    quantity: event.quantity,
    at: iso(start + event.dayOffset * day),
    recordedAt: iso(start + (event.dayOffset + (event.lateDays ?? 0)) * day),
  }));
  const records = stripe(captures, extra);
  return reconcile({
    ledger,
    psps: [{ ...records, customers: [{ psp: 'stripe', pspCustomerId: 'cus_1', customerId: 'c_1' }] }],
    customers: [customerWith(plan)],
    usage: { accepted, billed: [], mode: 'no-overbilling' },
    plans: {
      since: { c_1: iso(start) },
      until: iso(start + untilDays * day),
      topUps: [],
      repricedAtPsp,
      billing,
    },
  });
}

const plan: Plan = { baseFeeMinor: 1000, unitPricesMinor: { tokens: 2 }, interval: 'month' };
const kinds = (result: ReturnType<typeof run>) => result.breaks.map((found) => found.kind);

describe('billing_mismatch: what a customer was charged, exactly, at period close', () => {
  it('passes a charge of base fee + distinct usage per closed period, in arrears', () => {
    // Jan: 29 + 57 tokens = 1.72; Feb: 113 tokens = 2.26 (the repeat of u_1 is the same event).
    const usage = [
      { dayOffset: 3, quantity: 29, eventId: 'u_1' },
      { dayOffset: 4, quantity: 99, eventId: 'u_1' },
      { dayOffset: 9, quantity: 57, eventId: 'u_2' },
      { dayOffset: 40, quantity: 113, eventId: 'u_3' },
    ];
    expect(run(plan, [1172, 1226], usage, 60)).toBeReconciled();
  });

  it('breaks when a minor unit per event is lost to floating-point major units', () => {
    const usage = [{ dayOffset: 3, quantity: 29, eventId: 'u_1' }];
    const result = run(plan, [1057], usage, 40);
    expect(result).toHaveBreakKinds(['billing_mismatch']);
    expect(result.breaks[0]).toMatchObject({
      customer: 'c_1',
      expected: { amountMinor: 1058 },
      actual: { amountMinor: 1057 },
    });
    expect(result.breaks[0]!.explanation).toContain(
      '0.01 USD less than their plan owes for the 1 billing period(s)',
    );
    expect(result.breaks[0]!.explanation).toContain('1 distinct usage event(s), 29 unit(s)');
  });

  it('breaks when a closed period was never charged at all', () => {
    expect(kinds(run(plan, [1058], [{ dayOffset: 3, quantity: 29, eventId: 'u_1' }], 70))).toEqual([
      'billing_mismatch',
    ]);
  });

  it('checks only closed periods: usage of the open one is not owed yet, and a close just now may be either', () => {
    const usage = [
      { dayOffset: 3, quantity: 10, eventId: 'u_1' },
      { dayOffset: 35, quantity: 50, eventId: 'u_2' },
    ];
    expect(run(plan, [1020], usage, 45)).toBeReconciled();
    // The run ends an hour after the second close: charged or not yet, both are right.
    const justClosed = (Date.UTC(2026, 2, 1) - start) / day + 1 / 24;
    expect(run(plan, [1020], usage, justClosed)).toBeReconciled();
    expect(run(plan, [1020, 1100], usage, justClosed)).toBeReconciled();
  });

  it('takes base fees in advance (a subscription) as billing by the plan too', () => {
    expect(run(plan, [1000, 1020], [{ dayOffset: 3, quantity: 10, eventId: 'u_1' }], 40)).toBeReconciled();
  });

  it('bills late usage with the period it was reported in', () => {
    // Dated in January, reported in February after January was billed: February's invoice has it.
    const late = [{ dayOffset: 30, quantity: 50, eventId: 'u_1', lateDays: 3 }];
    expect(run(plan, [1000, 1100], late, 60)).toBeReconciled();
    // Dropped because its date fell in a period already billed: revenue lost.
    expect(kinds(run(plan, [1000, 1000], late, 60))).toEqual(['billing_mismatch']);
  });

  it('takes usage reported after its period and the last close as billed late (a true-up) or not yet', () => {
    // Dated in January, reported in March after February closed: charged at once, or with March.
    const backfilled = [{ dayOffset: 9, quantity: 50, eventId: 'u_1', lateDays: 55 }];
    expect(run(plan, [1000, 1000, 100], backfilled, 75)).toBeReconciled();
    expect(run(plan, [1000, 1000], backfilled, 75)).toBeReconciled();
    expect(kinds(run(plan, [1000, 1000, 99], backfilled, 75))).toEqual(['billing_mismatch']);
  });

  it("holds a PSP's meter (the managed pattern) to usage reported while its period was open", () => {
    // Backfilled into January after January was invoiced: Stripe's meter never bills it.
    const backfilled = [
      { dayOffset: 9, quantity: 50, eventId: 'u_1', lateDays: 25 },
      { dayOffset: 40, quantity: 10, eventId: 'u_2' },
    ];
    expect(run(plan, [1000, 1020], backfilled, 60, [], [], 'psp-meter')).toBeReconciled();
    expect(kinds(run(plan, [1000, 1020], backfilled, 60))).toEqual(['billing_mismatch']);
    expect(kinds(run(plan, [1000, 1000], backfilled, 60, [], [], 'psp-meter'))).toEqual(['billing_mismatch']);
  });

  it('leaves a customer with an uncollected attempt (dunning) to the other checks', () => {
    const declined = {
      psp: 'stripe' as const,
      objectId: 'ch_declined',
      objectType: 'charge',
      status: 'failed',
      pspCustomerId: null,
      customerId: 'c_1',
      amountMinor: 1058,
      currency: 'usd',
      parentId: null,
    };
    expect(run(plan, [], [{ dayOffset: 3, quantity: 29, eventId: 'u_1' }], 40, [declined])).toBeReconciled();
  });

  it('leaves a customer repriced at the PSP outside the service (a dashboard coupon) to the other checks', () => {
    const usage = [{ dayOffset: 3, quantity: 250, eventId: 'u_1' }];
    // 20% off both periods: 12.00 and 8.00 where the plan says 15.00 and 10.00.
    expect(kinds(run(plan, [1200, 800], usage, 60))).toEqual(['billing_mismatch']);
    expect(
      run(plan, [1200, 800], usage, 60, [], [{ psp: 'stripe', pspCustomerId: 'cus_1' }]),
    ).toBeReconciled();
    // Another customer's coupon changes nothing for this one.
    expect(kinds(run(plan, [1200, 800], usage, 60, [], [{ psp: 'stripe', pspCustomerId: 'cus_9' }]))).toEqual(
      ['billing_mismatch'],
    );
  });

  it('property: exact per-period charges reconcile; one minor unit less on any of them never does', () => {
    const events = fc.array(
      fc.record({
        dayOffset: fc.integer({ min: 0, max: 88 }),
        quantity: fc.integer({ min: 1, max: 500 }),
        id: fc.integer({ min: 0, max: 20 }),
      }),
      { maxLength: 20 },
    );
    const plans = fc.record({
      base: fc.integer({ min: 0, max: 5_000 }),
      unit: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(
        plans,
        events,
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        ({ base, unit }, raw, pick, lost) => {
          const thePlan: Plan = { baseFeeMinor: base, unitPricesMinor: { tokens: unit }, interval: 'month' };
          const usage = raw.map((event) => ({
            dayOffset: event.dayOffset,
            quantity: event.quantity,
            eventId: `u_${event.id}`,
          }));
          const firstCopies = usage.filter(
            (event, index) => usage.findIndex((other) => other.eventId === event.eventId) === index,
          );
          const ends = [periodEndMs(start, 'month')];
          while (ends.length < 3) ends.push(periodEndMs(ends.at(-1)!, 'month'));
          const charges = ends
            .map((endMs, k) => {
              const fromMs = k === 0 ? start : ends[k - 1]!;
              const inPeriod = firstCopies.filter((event) => {
                const atMs = start + event.dayOffset * day;
                return atMs >= fromMs && atMs < endMs;
              });
              return base + inPeriod.reduce((sum, event) => sum + event.quantity * unit, 0);
            })
            .filter((amount) => amount > 0);
          expect(run(thePlan, charges, usage, 95)).toBeReconciled();
          if (charges.length === 0) return;
          const short = charges.map((amount, n) => (n === pick % charges.length ? amount - lost : amount));
          expect(kinds(run(thePlan, short, usage, 95))).toContain('billing_mismatch');
        },
      ),
      { numRuns: 200 },
    );
  });
});
