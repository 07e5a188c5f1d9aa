import { defineScenario } from 'fakepsp';

export const lostDispute = defineScenario({
  name: 'managed-stripe: a lost dispute on a renewal payment withdraws the amount and fee, booked once',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['disputes'],
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 120));
    await ctx.step('the renewal is collected', () => ctx.advance('32d'));
    const dispute = await ctx.step('the cardholder disputes the renewal', async () =>
      ctx.actors.openDispute(ctx.stripe.paidCharges(customer.customerId).at(-1)!.id),
    );
    await ctx.step('a week of evidence', () => ctx.advance('7d'));
    await ctx.step('the bank rules for the cardholder', async () => {
      ctx.actors.loseDispute(dispute.id);
    });
    await ctx.step('the next renewal', () => ctx.advance('21d'));
  },
});

export const wonDisputeAfterPartialRefund = defineScenario({
  name: 'managed-stripe: a dispute after a partial refund, won, and another lost: every movement booked',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  tags: ['disputes', 'refunds'],
  async run(ctx) {
    const alice = await ctx.step('alice subscribes', () => ctx.customer());
    const bob = await ctx.step('bob subscribes', () => ctx.customer());
    await ctx.step('usage', async () => {
      await ctx.usage(alice.customerId, 300);
      await ctx.usage(bob.customerId, 10);
    });
    await ctx.step('the renewals are collected', () => ctx.advance('32d'));
    const aliceRenewal = ctx.stripe.paidCharges(alice.customerId).at(-1)!;
    await ctx.step('alice gets 4.00 back', () => ctx.refund(alice.customerId, aliceRenewal.id, 400));
    const disputes = await ctx.step('both dispute a payment', async () => [
      ctx.actors.openDispute(aliceRenewal.id),
      ctx.actors.openDispute(ctx.stripe.paidCharges(bob.customerId)[0]!.id),
    ]);
    await ctx.step('webhooks land', () => ctx.advance('2d'));
    await ctx.step('alice’s dispute is won, bob’s lost', async () => {
      ctx.actors.winDispute(disputes[0]!.id);
      ctx.actors.loseDispute(disputes[1]!.id);
    });
    await ctx.step('the next renewal', () => ctx.advance('26d'));
  },
});
