import { defineScenario } from 'fakepsp';
import { invoiceCharges, topUpCharges } from './support.ts';

export const disputes = defineScenario({
  name: 'hybrid: a disputed top-up won, another lost, and a disputed base fee lost',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['disputes'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('two top-ups and usage', async () => {
      await ctx.topUp(customer.customerId, 2500);
      await ctx.topUp(customer.customerId, 1500);
      await ctx.usage(customer.customerId, 200);
    });
    const [won, lost] = topUpCharges(ctx, customer.customerId);
    const [baseFee] = invoiceCharges(ctx, customer.customerId);
    const opened = await ctx.step('three disputes open', async () => [
      ctx.actors.openDispute(won!.id, won!.scope),
      ctx.actors.openDispute(lost!.id, lost!.scope),
      ctx.actors.openDispute(baseFee!.id, baseFee!.scope),
    ]);
    await ctx.step('funds withdrawn', () => ctx.advance('2d'));
    await ctx.step('the bank rules', async () => {
      ctx.actors.winDispute(opened[0]!.id);
      ctx.actors.loseDispute(opened[1]!.id);
      ctx.actors.loseDispute(opened[2]!.id);
    });
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});
