import { defineScenario, type FaultPlan, type CreateCustomerRequest } from 'fakepsp';
import { expectSoakDid } from '../shared/soak-evidence.ts';

// Rates stay modest: the SDK's own retries back off in wall time, and the soak must stay fast.
const soakPlan: FaultPlan = {
  api: [
    {
      name: 'meter-event answer lost',
      phase: 'after',
      match: { method: 'POST', path: '/v1/billing/meter_events', rate: 0.05 },
      effect: { kind: 'reset' },
    },
    {
      name: 'meter event rate-limited',
      phase: 'before',
      match: { method: 'POST', path: '/v1/billing/meter_events', rate: 0.15 },
      effect: { kind: 'rate_limit' },
    },
    {
      name: 'clock advance answer lost',
      phase: 'after',
      match: { method: 'POST', path: '/v1/test_helpers/test_clocks/*/advance', rate: 0.05 },
      effect: { kind: 'server_error', status: 500 },
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

// A call that still fails after the SDK's own retries is made again, as its caller would: the
// same usage event id, or the clock job run again at the same instant.
async function again(action: () => Promise<unknown>, attemptsMax = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await action();
      return;
    } catch (error) {
      if (attempt >= attemptsMax) throw error;
    }
  }
}

export const faultSoak = defineScenario({
  name: 'managed-stripe: seeded fault soak over three renewals of usage, refunds and disputes for four customers',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  seed: 20260401,
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
            const quantity = ctx.faker.number.int({ min: 1, max: 400 });
            const at = new Date(ctx.now().getTime() - (late ? 86_400_000 : 0));
            await again(() =>
              ctx.usage(customer.customerId, quantity, {
                eventId: `soak-${customer.customerId}-${week}-${id}`,
                at,
              }),
            );
          }
        }
        const customer = ctx.faker.helpers.arrayElement(customers);
        const charge = ctx.stripe
          .paidCharges(customer.customerId)
          .find((paid) => !paid.disputed && paid.amount_refunded < paid.amount);
        const action = ctx.faker.number.int({ min: 0, max: 9 });
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
        await ctx.advance('7d').catch(() => again(() => ctx.advance(0)));
      });
    }
    ctx.faults.clear();
    await ctx.step('the faults stop; retries and polls catch up', () => ctx.advance('4d'));
    expectSoakDid(ctx, { customers: 4, periods: 3, usage: 10, refunds: 1, disputes: 1 });
  },
});
