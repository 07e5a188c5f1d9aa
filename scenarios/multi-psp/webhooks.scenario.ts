import { defineScenario } from 'fakepsp';
import { allPsps, expectPaid, onlyPayment } from './support.ts';

export const duplicateWebhooks = defineScenario({
  name: 'multi-psp: every webhook delivered three times books each payment and refund once',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['duplicate-webhooks'],
  faults: { webhooks: [{ name: 'tripled', match: { rate: 1 }, effect: { kind: 'duplicate', copies: 2 } }] },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 64));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('the service refunds 2.00', () =>
      ctx.refund(customer.customerId, onlyPayment(ctx, customer.customerId).ref, 200),
    );
    await ctx.step('webhooks land', () => ctx.advance('1h'));
    expectPaid(ctx, customer.customerId, [1128]);
  },
});

export const outOfOrderWebhooks = defineScenario({
  name: 'multi-psp: webhooks shuffled within ten minutes still settle every payment and refund once',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['out-of-order-webhooks'],
  faults: {
    webhooks: [{ name: 'shuffled', match: { rate: 1 }, effect: { kind: 'reorder', windowMs: 600_000 } }],
  },
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 10);
      await ctx.usage(bob.customerId, 20);
    });
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('a refund by the service and one in the dashboard, at once', async () => {
      await ctx.refund(alice.customerId, onlyPayment(ctx, alice.customerId).ref, 300);
      ctx.payments.dashboardRefund(onlyPayment(ctx, bob.customerId).ref, 500);
    });
    // Adyen's queue sends one notification at a time, so a shuffle delays the ones behind it too.
    await ctx.step('webhooks land in any order', () => ctx.advance('1d'));
  },
});

export const missedWebhooks = defineScenario({
  name: 'multi-psp: first deliveries dropped and the endpoint down for two hours; the PSP’s retries close the gap',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['missed-webhooks', 'outage'],
  faults: { webhooks: [{ name: 'first attempts lost', match: { rate: 1 }, effect: { kind: 'drop' } }] },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 33));
    await ctx.step('four weeks pass', () => ctx.advance('30d'));
    const from = ctx.now().getTime();
    ctx.faults.load({ outages: [{ psp: ctx.psp, fromMs: from, toMs: from + 2 * 3_600_000 }] });
    await ctx.step('the period ends inside the outage', () => ctx.advance('1d'));
    await ctx.step('a dashboard refund', async () => {
      ctx.payments.dashboardRefund(onlyPayment(ctx, customer.customerId).ref, 66);
    });
    ctx.faults.clear();
    await ctx.step('retries finish', () => ctx.advance('1d'));
    expectPaid(ctx, customer.customerId, [1066]);
  },
});

export const forgedWebhooks = defineScenario({
  name: 'multi-psp: deliveries with a bad signature are rejected; the properly signed retries book once',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['signatures'],
  faults: { webhooks: [{ name: 'forged', match: { rate: 0.5 }, effect: { kind: 'bad_signature' } }] },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 75));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('a dashboard refund', async () => {
      ctx.payments.dashboardRefund(onlyPayment(ctx, customer.customerId).ref, 150);
    });
    await ctx.step('retries land', () => ctx.advance('1d'));
    expectPaid(ctx, customer.customerId, [1150]);
  },
});

export const unsignedWebhooks = defineScenario({
  name: 'multi-psp: deliveries with no signature at all are rejected; the signed retries book once',
  pattern: 'multi-psp',
  psps: allPsps,
  tags: ['signatures', 'unsigned'],
  faults: { webhooks: [{ name: 'unsigned', match: { rate: 0.5 }, effect: { kind: 'unsigned' } }] },
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 75));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    await ctx.step('a dashboard refund', async () => {
      ctx.payments.dashboardRefund(onlyPayment(ctx, customer.customerId).ref, 150);
    });
    await ctx.step('retries land', () => ctx.advance('1d'));
    expectPaid(ctx, customer.customerId, [1150]);
  },
});
