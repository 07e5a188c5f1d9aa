import { defineScenario, type FaultPlan } from 'fakepsp';
import { invoiceCharges, topUpCharges } from './support.ts';
import { expectSoakDid } from '../shared/soak-evidence.ts';

// Rates are kept low: the SDK's own retries back off in wall time, and the soak must stay fast.
const soakPlan: FaultPlan = {
  api: [
    {
      name: 'top-up lost after',
      phase: 'after',
      match: { method: 'POST', path: '/v1/payment_intents', rate: 0.25 },
      effect: { kind: 'reset' },
    },
    {
      name: 'top-up refused before',
      phase: 'before',
      match: { method: 'POST', path: '/v1/payment_intents', rate: 0.1 },
      effect: { kind: 'server_error', status: 503 },
    },
  ],
  webhooks: [
    { name: 'dropped', match: { rate: 0.15 }, effect: { kind: 'drop' } },
    { name: 'duplicated', match: { rate: 0.2 }, effect: { kind: 'duplicate', copies: 2 } },
    { name: 'late', match: { rate: 0.15 }, effect: { kind: 'delay', delayMs: 3_600_000 } },
    { name: 'shuffled', match: { rate: 0.2 }, effect: { kind: 'reorder', windowMs: 600_000 } },
  ],
};

export const faultSoak = defineScenario({
  name: 'hybrid: seeded fault soak over three months of renewals, top-ups, usage, refunds and disputes',
  pattern: 'hybrid',
  psps: ['stripe'],
  seed: 20260201,
  tags: ['soak', 'renewals'],
  faults: soakPlan,
  stepsMax: 200,
  async run(ctx) {
    const customers: Array<Awaited<ReturnType<typeof ctx.customer>>> = [];
    for (let index = 0; index < 3; index++) {
      customers.push(await ctx.step(`customer ${index + 1} subscribes`, () => ctx.customer()));
    }
    for (let week = 0; week < 13; week++) {
      await ctx.step(`week ${week + 1}`, async () => {
        const customer = ctx.faker.helpers.arrayElement(customers);
        const action = ctx.faker.number.int({ min: 0, max: 9 });
        if (action < 3) {
          await ctx.topUp(customer.customerId, ctx.faker.number.int({ min: 5, max: 40 }) * 100);
        } else if (action < 7) {
          const burst = ctx.faker.number.int({ min: 1, max: 4 });
          await Promise.allSettled(
            Array.from({ length: burst }, (_, index) =>
              ctx.usage(customer.customerId, ctx.faker.number.int({ min: 10, max: 300 }), {
                eventId: `soak-${week}-${index}`,
              }),
            ),
          );
        } else if (action < 9) {
          const charge = topUpCharges(ctx, customer.customerId).find((paid) => paid.amount_refunded === 0);
          if (charge !== undefined) ctx.actors.dashboardRefund(charge.id, Math.min(200, charge.amount));
        } else {
          const charge = invoiceCharges(ctx, customer.customerId).find((paid) => !paid.disputed);
          if (charge !== undefined) ctx.actors.openDispute(charge.id);
        }
        await ctx.advance('7d');
      });
    }
    ctx.faults.clear();
    await ctx.step('the faults stop; a month for retries and polls', () => ctx.advance('31d'));
    expectSoakDid(ctx, { periods: 3, topUps: 1, usage: 1, refunds: 1, disputes: 1 });
  },
});
