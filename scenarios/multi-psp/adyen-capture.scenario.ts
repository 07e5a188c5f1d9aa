import { defineScenario } from 'fakepsp';
import { expectPaid } from './support.ts';

export const adyenCaptureFails = defineScenario({
  name: 'multi-psp: an Adyen capture is received but fails (CAPTURE success "false"); dunning collects it once',
  description:
    'Adyen answers a capture with 201 "received" and reports the outcome later. A CAPTURE webhook whose ' +
    'success is the string "false" moved no money; a service that books it as paid drifts from Adyen.',
  pattern: 'multi-psp',
  psps: ['adyen'],
  tags: ['adyen', 'async-modifications', 'declines', 'dunning'],
  async run(ctx) {
    const customer = await ctx.step('customer signs up', () => ctx.customer());
    await ctx.step('usage', () => ctx.usage(customer.customerId, 30));
    await ctx.step('four weeks pass', () => ctx.advance('30d'));
    ctx.env.adyen!.actions.fail_next_capture!({
      merchantAccount: ctx.env.connections.adyen!.merchantAccount,
    });
    await ctx.step('the period ends; the capture is received, then fails', () => ctx.advance('1d'));
    expectPaid(ctx, customer.customerId, []);
    await ctx.step('dunning retries three days later', () => ctx.advance('3d'));
    expectPaid(ctx, customer.customerId, [1060]);
  },
});
