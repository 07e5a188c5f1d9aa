import { defineScenario } from 'fakepsp';
import { topUpCharges } from './support.ts';

const triplicate = {
  webhooks: [{ name: 'triplicate', match: { eventType: '*' }, effect: { kind: 'duplicate', copies: 3 } }],
} as const;

export const duplicateWebhooks = defineScenario({
  name: 'hybrid: every webhook three times over a renewal books each invoice, top-up and refund once',
  pattern: 'hybrid',
  psps: ['stripe'],
  tags: ['duplicate-webhooks'],
  faults: triplicate,
  async run(ctx) {
    const customer = await ctx.step('customer subscribes', () => ctx.customer());
    ctx.faults.load({
      ...triplicate,
      api: [1, 2, 3].map((nth) => ({
        phase: 'after' as const,
        match: { method: 'POST', path: '/v1/payment_intents', nth },
        effect: { kind: 'reset' as const },
      })),
    });
    await ctx.step('top-up with its answer lost: the webhooks book it', () =>
      ctx.topUp(customer.customerId, 2500),
    );
    ctx.faults.load(triplicate);
    await ctx.step('copies arrive', () => ctx.settle());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 400));
    const [charge] = topUpCharges(ctx, customer.customerId);
    await ctx.step('a dashboard refund of part of the top-up', async () => {
      ctx.actors.dashboardRefund(charge!.id, 700);
    });
    await ctx.step('the subscription renews', () => ctx.advance('32d'));
  },
});
