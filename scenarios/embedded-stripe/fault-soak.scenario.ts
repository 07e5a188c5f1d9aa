import { defineScenario, type FaultPlan } from 'fakepsp';
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
      name: 'refund lost after',
      phase: 'after',
      match: { method: 'POST', path: '/v1/refunds', rate: 0.25 },
      effect: { kind: 'timeout' },
    },
    {
      name: 'flaky before',
      phase: 'before',
      match: { method: 'POST', path: '/v1/payment_intents', rate: 0.1 },
      effect: { kind: 'server_error', status: 503 },
    },
  ],
  webhooks: [
    { name: 'dropped', match: { rate: 0.15 }, effect: { kind: 'drop' } },
    { name: 'duplicated', match: { rate: 0.2 }, effect: { kind: 'duplicate', copies: 2 } },
    { name: 'late', match: { rate: 0.15 }, effect: { kind: 'delay', delayMs: 1_800_000 } },
    { name: 'shuffled', match: { rate: 0.2 }, effect: { kind: 'reorder', windowMs: 300_000 } },
  ],
};

export const faultSoak = defineScenario({
  name: 'embedded-stripe: seeded fault soak over tenants topping up, spending, refunding and disputing',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  seed: 20260101,
  tags: ['soak'],
  faults: soakPlan,
  stepsMax: 200,
  async run(ctx) {
    const tenants: Array<Awaited<ReturnType<typeof ctx.customer>>> = [];
    for (let index = 0; index < 3; index++) {
      tenants.push(await ctx.step(`tenant ${index + 1} signs up`, () => ctx.customer()));
    }
    for (let day = 0; day < 12; day++) {
      await ctx.step(`day ${day + 1}`, async () => {
        const tenant = ctx.faker.helpers.arrayElement(tenants);
        // Every kind the title promises happens at least once (a top-up on day 1, spending on day 2,
        // a dashboard refund on day 5, a dispute on day 8), and at random besides.
        const scheduled = { 0: 0, 1: 3, 4: 7, 7: 9 }[day];
        const action = scheduled ?? ctx.faker.number.int({ min: 0, max: 9 });
        if (action < 3) {
          await ctx
            .topUp(tenant.customerId, ctx.faker.number.int({ min: 5, max: 60 }) * 100)
            .catch(() => undefined);
        } else if (action < 7) {
          const burst = ctx.faker.number.int({ min: 1, max: 4 });
          await Promise.allSettled(
            Array.from({ length: burst }, (_, index) =>
              ctx.usage(tenant.customerId, ctx.faker.number.int({ min: 10, max: 400 }), {
                eventId: `soak-${day}-${index}`,
              }),
            ),
          );
        } else if (action < 9) {
          const charge = ctx.stripe.paidCharges(tenant.customerId).find((paid) => paid.amount_refunded === 0);
          if (charge !== undefined)
            ctx.actors.dashboardRefund(charge.id, Math.min(200, charge.amount), charge.scope);
        } else {
          const charge = ctx.stripe.paidCharges(tenant.customerId).find((paid) => !paid.disputed);
          if (charge !== undefined) ctx.actors.openDispute(charge.id, charge.scope);
        }
        await ctx.advance('1d');
      });
    }
    ctx.faults.clear();
    await ctx.step('the faults stop; a month for retries and polls', () => ctx.advance('31d'));
    expectSoakDid(ctx, { customers: 3, topUps: 1, usage: 1, refunds: 1, disputes: 1 });
  },
});
