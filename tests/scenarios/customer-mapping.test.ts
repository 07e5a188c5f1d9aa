import { describe, expect, it } from 'vitest';
import { reconcileRun } from '../../src/scenarios/check.ts';
import { defineScenario } from '../../src/scenarios/define.ts';
import { runScenario } from '../../src/scenarios/runner.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';
import { stubSut } from './stub-sut.ts';

// Fails, as the shipped library's scenarios do, when the customer's charges cannot be found.
const billedOnce = defineScenario({
  name: 'the customer is charged for their usage',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  async run(ctx) {
    const customer = await ctx.step('sign up', () => ctx.customer());
    await ctx.usage(customer.customerId, 400);
    await ctx.step('period ends', () => ctx.advance('31d'));
    const paid = ctx.stripe.paidCharges(customer.customerId).map((charge) => charge.amount);
    if (paid.length !== 1) throw new Error(`${customer.customerId} was charged [${paid.join(', ')}]`);
  },
});

const run = (mapCustomersBy: 'metadata' | 'answer' | 'nothing') =>
  runScenario(billedOnce, {
    sut: () => stubSut({ mapCustomersBy }),
    environment: loopbackEnvironment,
    check: reconcileRun,
    psp: 'stripe',
  });

describe('mapping PSP customers to the service’s customers', () => {
  it('takes the pspCustomerId the service answered, with no tag in its Stripe calls', async () => {
    const result = await run('answer');
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('passed');
  });

  it('still takes the metadata tag', async () => {
    expect((await run('metadata')).status).toBe('passed');
  });

  it('says plainly when the service gave neither, naming both ways and the Stripe customer', async () => {
    const result = await run('nothing');
    expect(result.status).toBe('failed');
    expect(result.findings[0]!.kind).toBe('customer_unmapped');
    expect(result.findings[0]!.message).toMatch(
      /fakepsp cannot tell which stripe customer is c_1 \(stripe holds cus_\w+, traced to no one\)/,
    );
    expect(result.findings[0]!.message).toContain('{"pspCustomerId": "<the stripe customer id>"}');
    expect(result.findings[0]!.message).toContain('metadata.fakepsp_customer_id = "c_1"');
    expect(result.reason).toBe('c_1 was charged []');
    expect(result.step).toBe('period ends');
  });
});
