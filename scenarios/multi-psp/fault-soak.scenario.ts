import { defineScenario, type CreateCustomerRequest } from 'fakepsp';
import { expectSoakDid } from '../shared/soak-evidence.ts';
import { allPsps, chargeCall, refundCall } from './support.ts';

export const faultSoak = defineScenario({
  name: 'multi-psp: seeded fault soak over three periods of usage, refunds and disputes for three customers',
  pattern: 'multi-psp',
  psps: allPsps,
  seed: 20260302,
  tags: ['soak'],
  faults: {
    webhooks: [
      { name: 'dropped', match: { rate: 0.15 }, effect: { kind: 'drop' } },
      { name: 'duplicated', match: { rate: 0.2 }, effect: { kind: 'duplicate', copies: 2 } },
      { name: 'late', match: { rate: 0.1 }, effect: { kind: 'delay', delayMs: 3_600_000 } },
      { name: 'shuffled', match: { rate: 0.2 }, effect: { kind: 'reorder', windowMs: 600_000 } },
    ],
  },
  stepsMax: 200,
  async run(ctx) {
    const customers: CreateCustomerRequest[] = [];
    for (let index = 0; index < 3; index++) {
      customers.push(await ctx.step(`customer ${index + 1} signs up`, () => ctx.customer()));
    }
    ctx.faults.load({
      api: [
        {
          name: 'charge answer lost',
          psp: ctx.psp,
          phase: 'after',
          match: { ...chargeCall[ctx.psp], rate: 0.3 },
          effect: { kind: 'reset' },
        },
        {
          name: 'charge refused before',
          psp: ctx.psp,
          phase: 'before',
          match: { ...chargeCall[ctx.psp], rate: 0.1 },
          effect: { kind: 'server_error', status: 503 },
        },
        {
          name: 'refund answer lost',
          psp: ctx.psp,
          phase: 'after',
          match: { ...refundCall[ctx.psp], rate: 0.2 },
          effect: { kind: 'timeout' },
        },
      ],
    });
    for (let week = 0; week < 13; week++) {
      await ctx.step(`week ${week + 1}`, async () => {
        for (const customer of customers) {
          const events = ctx.faker.number.int({ min: 0, max: 3 });
          for (let index = 0; index < events; index++) {
            const id = ctx.faker.number.int({ min: 0, max: 5 });
            await ctx.usage(customer.customerId, ctx.faker.number.int({ min: 1, max: 400 }), {
              eventId: `soak-${customer.customerId}-${week}-${id}`,
            });
          }
        }
        const customer = ctx.faker.helpers.arrayElement(customers);
        const payment = ctx.payments.paid(customer.customerId).at(-1);
        // Once the first period is paid, every kind the title promises happens at least once
        // (weeks 6, 8 and 10), and at random besides.
        const action = [5, 7, 9].includes(week) ? (week - 5) / 2 : ctx.faker.number.int({ min: 0, max: 9 });
        if (payment !== undefined && action === 0) {
          // A refund whose every answer was lost fails here; Adyen's and Razorpay's webhooks still book it.
          await ctx.refund(customer.customerId, payment.ref, 100).catch(() => undefined);
        } else if (payment !== undefined && action === 1) {
          ctx.payments.dashboardRefund(payment.ref, 50);
        } else if (payment !== undefined && action === 2) {
          ctx.payments.dispute(payment.ref, ctx.faker.datatype.boolean() ? 'won' : 'lost');
        }
        await ctx.advance('7d');
      });
    }
    ctx.faults.clear();
    await ctx.step('the faults stop; retries and polls catch up', () => ctx.advance('4d'));
    expectSoakDid(ctx, {
      customers: 3,
      periods: 3,
      usage: 10,
      serviceRefunds: 1,
      dashboardRefunds: 1,
      disputes: 1,
    });
  },
});
