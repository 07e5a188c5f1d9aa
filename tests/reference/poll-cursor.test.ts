import { describe, expect, it } from 'vitest';
import { createReferenceBillingSystem } from '../../src/reference/index.ts';
import { reconcileRun } from '../../src/scenarios/check.ts';
import { defineScenario } from '../../src/scenarios/define.ts';
import { runScenario } from '../../src/scenarios/runner.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';

// Found by `fakepsp explore` (seed 1000): the poll job moved its event cursor past every event it
// had listed before handling them, so an event whose handling failed once (a rate-limited read
// while booking it) was never read again; with its webhooks lost, its payment never reached the
// ledger. The cursor now moves past an event only once it is handled.
const pollFailsWhileWebhooksAreLost = defineScenario({
  name: 'a poll whose event handling is rate-limited once, while every webhook is lost, books the payment later',
  pattern: 'managed-stripe',
  psps: ['stripe'],
  seed: 1000,
  faults: {
    api: [
      {
        name: 'the 2nd read is rate-limited',
        psp: 'stripe',
        phase: 'before',
        match: { method: 'GET', nth: 2 },
        effect: { kind: 'rate_limit', retryAfterSeconds: 1 },
      },
    ],
    webhooks: [
      { name: 'every webhook lost', psp: 'stripe', match: { retries: true }, effect: { kind: 'drop' } },
    ],
  },
  async run(ctx) {
    await ctx.step('a customer signs up and pays the first invoice', () => ctx.customer());
    await ctx.step('the service settles: its poll fails while booking the payment', () => ctx.settle());
    await ctx.step('a month and a half passes', () => ctx.advance('45d'));
    ctx.faults.clear();
    await ctx.step('a day passes', () => ctx.advance('1d'));
  },
});

describe('the reference poll job', () => {
  it('reads an event again when handling it failed', async () => {
    const result = await runScenario(pollFailsWhileWebhooksAreLost, {
      sut: () => createReferenceBillingSystem(),
      environment: loopbackEnvironment,
      check: reconcileRun,
      psp: 'stripe',
    });
    expect(result.findings.map((finding) => finding.kind)).toEqual([]);
    expect(result.status).toBe('passed');
  }, 30_000);
});
