import { defineScenario } from 'fakepsp';

export const disputeWon = defineScenario({
  name: 'embedded-stripe: a dispute on a top-up, on the tenant’s account, won',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['disputes'],
  async run(ctx) {
    const tenant = await ctx.step('tenant signs up', () => ctx.customer());
    await ctx.step('top-up and usage', async () => {
      await ctx.topUp(tenant.customerId, 4000);
      await ctx.usage(tenant.customerId, 300);
    });
    const [charge] = ctx.stripe.paidCharges(tenant.customerId);
    const dispute = await ctx.step('the cardholder disputes the top-up', async () =>
      ctx.actors.openDispute(charge!.id, charge!.scope),
    );
    await ctx.step('funds withdrawn', () => ctx.advance('1d'));
    await ctx.step('the bank rules for the merchant', async () => {
      ctx.actors.winDispute(dispute.id, charge!.scope);
    });
    await ctx.step('funds reinstated', () => ctx.advance('1d'));
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});

export const disputeLost = defineScenario({
  name: 'embedded-stripe: disputes on two tenants’ top-ups, one lost, one after a partial refund',
  pattern: 'embedded-stripe',
  psps: ['stripe'],
  tags: ['disputes', 'refunds'],
  async run(ctx) {
    const first = await ctx.step('first tenant', () => ctx.customer());
    const second = await ctx.step('second tenant', () => ctx.customer());
    await ctx.step('both top up', async () => {
      await ctx.topUp(first.customerId, 2500);
      await ctx.topUp(second.customerId, 3500);
    });
    const [lost] = ctx.stripe.paidCharges(first.customerId);
    const [refunded] = ctx.stripe.paidCharges(second.customerId);
    await ctx.step('the second tenant’s top-up is partly refunded by the service', () =>
      ctx.refund(second.customerId, refunded!.id, 1000),
    );
    const disputes = await ctx.step('both top-ups are disputed', async () => [
      ctx.actors.openDispute(lost!.id, lost!.scope),
      ctx.actors.openDispute(refunded!.id, refunded!.scope),
    ]);
    await ctx.step('webhooks land', () => ctx.advance('1h'));
    await ctx.step('both disputes are lost', async () => {
      ctx.actors.loseDispute(disputes[0]!.id, lost!.scope);
      ctx.actors.loseDispute(disputes[1]!.id, refunded!.scope);
    });
    await ctx.step('a month passes', () => ctx.advance('31d'));
  },
});
