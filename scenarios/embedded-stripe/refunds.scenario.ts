import { defineScenario } from 'fakepsp';

export const topUpRefunds = defineScenario({
  name: 'embedded-stripe: refunds of top-ups, by the service and in the dashboard, leave the wallet',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['refunds', 'dashboard'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('three top-ups', async () => {
      await ctx.topUp(tenant.customerId, 3000);
      await ctx.topUp(tenant.customerId, 2000);
      await ctx.topUp(tenant.customerId, 1000);
    });
    await ctx.step('usage', () => ctx.usage(tenant.customerId, 600));
    const [first, second, third] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('the service refunds part of the first top-up', () =>
      ctx.refund(tenant.customerId, first!.id, 1500),
    );
    await ctx.step('support refunds the whole second top-up in the dashboard', async () => {
      ctx.actors.dashboardRefund(second!.id, undefined, second!.scope);
    });
    await ctx.step('and part of the third', async () => {
      ctx.actors.dashboardRefund(third!.id, 400, third!.scope);
    });
    await ctx.step('webhooks land', () => ctx.advance('10m'));
    await ctx.step('the service refunds the rest of the first top-up', () =>
      ctx.refund(tenant.customerId, first!.id, 300),
    );
    await ctx.step('usage from what is left', async () => {
      await ctx.usage(tenant.customerId, 50);
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});

export const failingRefund = defineScenario({
  name: 'embedded-stripe: a top-up refund that bounces comes back into the wallet',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['refunds'],
  async run(ctx) {
    const tenant = await ctx.step('tenant whose card refuses refunds', () =>
      ctx.customer({ paymentMethod: 'pm_card_refundFail' }),
    );
    await ctx.step('top-up', () => ctx.topUp(tenant.customerId, 2500));
    const [charge] = ctx.stripe.paidCharges(tenant.customerId);
    await ctx.step('the service refunds part of it', () => ctx.refund(tenant.customerId, charge!.id, 1000));
    await ctx.step('the refund fails a minute later', () => ctx.advance('2m'));
    await ctx.step('the wallet can spend it again', () => ctx.usage(tenant.customerId, 1200));
    await ctx.step('a day passes', () => ctx.advance('1d'));
  },
});
