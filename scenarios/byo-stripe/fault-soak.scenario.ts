import { defineScenario, type FaultPlan, type CreateCustomerRequest } from 'fakepsp';
import { expectSoakDid } from '../shared/soak-evidence.ts';

// Rates stay modest: the SDK's own retries back off in wall time, and the soak must stay fast.
const soakPlan: FaultPlan = {
  api: [
    {
      name: 'charge answer lost',
      phase: 'after',
      match: { method: 'POST', path: '/v1/payment_intents', rate: 0.3 },
      effect: { kind: 'reset' },
    },
    {
      name: 'charge refused before',
      phase: 'before',
      match: { method: 'POST', path: '/v1/payment_intents', rate: 0.1 },
      effect: { kind: 'server_error', status: 503 },
    },
    {
      name: 'refund answer lost',
      phase: 'after',
      match: { method: 'POST', path: '/v1/refunds', rate: 0.2 },
      effect: { kind: 'timeout' },
    },
    {
      name: 'poll rate-limited',
      phase: 'before',
      match: { method: 'GET', path: '/v1/events', rate: 0.2 },
      effect: { kind: 'rate_limit' },
    },
  ],
  webhooks: [
    { name: 'dropped', match: { rate: 0.15 }, effect: { kind: 'drop' } },
    { name: 'duplicated', match: { rate: 0.2 }, effect: { kind: 'duplicate', copies: 2 } },
    { name: 'late', match: { rate: 0.1 }, effect: { kind: 'delay', delayMs: 3_600_000 } },
    { name: 'shuffled', match: { rate: 0.2 }, effect: { kind: 'reorder', windowMs: 600_000 } },
  ],
};

export const faultSoak = defineScenario({
  name: 'byo-stripe: seeded fault soak over three periods of usage, refunds and disputes for four customers',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  seed: 20260301,
  tags: ['soak'],
  faults: soakPlan,
  stepsMax: 200,
  async run(ctx) {
    const customers: CreateCustomerRequest[] = [];
    for (let index = 0; index < 4; index++) {
      customers.push(await ctx.step(`customer ${index + 1} signs up`, () => ctx.customer()));
    }
    for (let week = 0; week < 13; week++) {
      await ctx.step(`week ${week + 1}`, async () => {
        for (const customer of customers) {
          const events = ctx.faker.number.int({ min: 0, max: 3 });
          for (let index = 0; index < events; index++) {
            // Some event ids repeat (a client retry), and some events are dated a day back.
            const id = ctx.faker.number.int({ min: 0, max: 5 });
            const late = ctx.faker.datatype.boolean(0.2);
            await ctx.usage(customer.customerId, ctx.faker.number.int({ min: 1, max: 400 }), {
              eventId: `soak-${customer.customerId}-${week}-${id}`,
              at: new Date(ctx.now().getTime() - (late ? 86_400_000 : 0)),
            });
          }
        }
        const customer = ctx.faker.helpers.arrayElement(customers);
        const charge = ctx.stripe
          .paidCharges(customer.customerId)
          .find((paid) => !paid.disputed && paid.amount_refunded < paid.amount);
        // Once the first period is paid, every kind the title promises happens at least once
        // (weeks 6, 8 and 10: a refund, a dashboard refund, a dispute), and at random besides.
        const scheduled = { 5: 0, 7: 3, 9: 5 }[week];
        const action = scheduled ?? ctx.faker.number.int({ min: 0, max: 9 });
        if (charge !== undefined && action < 3) {
          const amount = Math.min(charge.amount - charge.amount_refunded, 200);
          // A refund whose every answer was lost fails here; the poll job still books it.
          await ctx.refund(customer.customerId, charge.id, amount).catch(() => undefined);
        } else if (charge !== undefined && action < 5) {
          ctx.actors.dashboardRefund(charge.id, Math.min(charge.amount - charge.amount_refunded, 150));
        } else if (charge !== undefined && action < 6) {
          const dispute = ctx.actors.openDispute(charge.id);
          if (ctx.faker.datatype.boolean()) ctx.actors.winDispute(dispute.id);
          else ctx.actors.loseDispute(dispute.id);
        }
        await ctx.advance('7d');
      });
    }
    ctx.faults.clear();
    await ctx.step('the faults stop; retries and polls catch up', () => ctx.advance('4d'));
    expectSoakDid(ctx, {
      customers: 4,
      periods: 3,
      usage: 10,
      serviceRefunds: 1,
      dashboardRefunds: 1,
      disputes: 1,
    });
  },
});
