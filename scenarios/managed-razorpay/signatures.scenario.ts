import { defineScenario } from 'fakepsp';

export const forgedAndUnsignedWebhooks = defineScenario({
  name: 'managed-razorpay: invoice webhooks with a bad signature or none are rejected; the poll job books each invoice once',
  pattern: 'managed-razorpay',
  psps: ['razorpay'],
  tags: ['signatures', 'unsigned', 'razorpay'],
  faults: {
    webhooks: [
      { name: 'forged', match: { eventType: 'invoice.paid', nth: 1 }, effect: { kind: 'bad_signature' } },
      { name: 'unsigned', match: { eventType: 'invoice.paid', nth: 2 }, effect: { kind: 'unsigned' } },
      {
        name: 'forged dispute',
        match: { eventType: 'payment.dispute.*' },
        effect: { kind: 'bad_signature' },
      },
    ],
  },
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 30));
    await ctx.step('the renewal is charged', () => ctx.advance('31d'));
    await ctx.step('the customer disputes the renewal and the merchant loses', async () => {
      ctx.payments.dispute(ctx.payments.paid(customer.customerId).at(-1)!.ref, 'lost');
    });
    await ctx.step('Razorpay retries; the service polls', () => ctx.advance('1d'));
  },
});
