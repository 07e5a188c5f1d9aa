import { defineScenario } from 'fakepsp';
import { onlyCharge } from './support.ts';

export const lostDispute = defineScenario({
  name: 'byo-stripe: a lost dispute withdraws the amount and fee, booked once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['disputes'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 120));
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const dispute = await ctx.step('the cardholder disputes the charge', async () =>
      ctx.actors.openDispute(onlyCharge(ctx, customer.customerId).id),
    );
    await ctx.step('a week of evidence', () => ctx.advance('7d'));
    await ctx.step('the bank rules for the cardholder', async () => {
      ctx.actors.loseDispute(dispute.id);
    });
    await ctx.step('the next period', () => ctx.advance('21d'));
  },
});

export const wonDisputeAfterPartialRefund = defineScenario({
  name: 'byo-stripe: a dispute after a partial refund, won: withdrawal and reinstatement both booked',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  tags: ['disputes', 'refunds'],
  async run(ctx) {
    const alice = await ctx.step('alice signs up', () => ctx.customer());
    const bob = await ctx.step('bob signs up', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 300);
      await ctx.usage(bob.customerId, 10);
    });
    await ctx.step('the period is charged', () => ctx.advance('31d'));
    const aliceCharge = onlyCharge(ctx, alice.customerId);
    await ctx.step('alice gets 4.00 back', () => ctx.refund(alice.customerId, aliceCharge.id, 400));
    const disputes = await ctx.step('both dispute their charges', async () => [
      ctx.actors.openDispute(aliceCharge.id),
      ctx.actors.openDispute(onlyCharge(ctx, bob.customerId).id),
    ]);
    await ctx.step('webhooks land', () => ctx.advance('2d'));
    await ctx.step('alice’s dispute is won, bob’s lost', async () => {
      ctx.actors.winDispute(disputes[0]!.id);
      ctx.actors.loseDispute(disputes[1]!.id);
    });
    await ctx.step('the next period', () => ctx.advance('26d'));
  },
});
