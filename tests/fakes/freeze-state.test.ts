import { describe, expect, it } from 'vitest';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import { cardBody } from './adyen/direct.ts';
import type { PspCore, PspRequest } from '../../src/fakes/common/psp-core.ts';
import { createRazorpayFake } from '../../src/fakes/razorpay/index.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { platformScope } from '../../src/fakes/stripe/store.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

const razorpayAuth = `Basic ${Buffer.from('rzp_test_fakepsp:fakepsp_test_secret').toString('base64')}`;

/** One create request a fake answers, and how to find what it stored from the answer. */
const cases = [
  {
    psp: 'stripe',
    make: (freezeState?: boolean) => {
      const fake = createStripeFake(
        createSimulation({ seed: 7 }),
        freezeState === undefined ? {} : { freezeState },
      );
      const stored = (id: string) => fake.runtime.store.get(platformScope, 'payment_intent', id);
      return { core: fake.core, stored };
    },
    request: {
      method: 'POST',
      path: '/v1/payment_intents',
      query: '',
      headers: { authorization: 'Bearer sk_test_1', 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true&metadata[order]=7',
    },
    idOf: (body: Record<string, unknown>) => body.id as string,
  },
  {
    psp: 'adyen',
    make: (freezeState?: boolean) => {
      const fake = createAdyenFake(
        createSimulation({ seed: 7 }),
        freezeState === undefined ? {} : { freezeState },
      );
      return { core: fake.core, stored: (id: string) => fake.runtime.store.payments.get(id) };
    },
    request: {
      method: 'POST',
      path: '/v72/payments',
      query: '',
      headers: { 'x-api-key': 'AQE_fakepsp_test_key', 'content-type': 'application/json' },
      rawBody: JSON.stringify(cardBody({ metadata: { order: '7' } })),
    },
    idOf: (body: Record<string, unknown>) => body.pspReference as string,
  },
  {
    psp: 'razorpay',
    make: (freezeState?: boolean) => {
      const fake = createRazorpayFake(
        createSimulation({ seed: 7 }),
        freezeState === undefined ? {} : { freezeState },
      );
      return { core: fake.core, stored: (id: string) => fake.runtime.store.orders.get(id) };
    },
    request: {
      method: 'POST',
      path: '/v1/orders',
      query: '',
      headers: { authorization: razorpayAuth, 'content-type': 'application/json' },
      rawBody: JSON.stringify({ amount: 50_000, currency: 'INR', receipt: 'rcpt-1', notes: { order: '7' } }),
    },
    idOf: (body: Record<string, unknown>) => body.id as string,
  },
] as const;

async function created(core: PspCore, request: PspRequest) {
  const result = await core.handle(request);
  expect(result.response.status).toBe(200);
  return result.response.body;
}

/** Whether a value and everything in it is frozen, or nothing in it is. */
function frozenness(value: unknown, seen: boolean[] = []): boolean[] {
  if (typeof value !== 'object' || value === null) return seen;
  seen.push(Object.isFrozen(value));
  for (const member of Object.values(value)) frozenness(member, seen);
  return seen;
}

describe('freezeState', () => {
  for (const { psp, make, request, idOf } of cases) {
    it(`${psp}: freezes what it stores by default, and leaves it as it is when false, answering the same`, async () => {
      const frozen = make();
      const trusting = make(false);
      const frozenBody = await created(frozen.core, request);
      const trustingBody = await created(trusting.core, request);
      expect(trustingBody).toBe(frozenBody);
      const id = idOf(JSON.parse(frozenBody) as Record<string, unknown>);
      const [stored, unfrozen] = [frozen.stored(id), trusting.stored(id)];
      expect(unfrozen).toEqual(stored);
      expect(new Set(frozenness(stored))).toEqual(new Set([true]));
      expect(new Set(frozenness(unfrozen))).toEqual(new Set([false]));
    });
  }
});
