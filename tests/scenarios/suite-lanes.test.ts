import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/scenarios/define.ts';
import type { RunSut } from '../../src/scenarios/runner.ts';
import { planRuns, runSuite } from '../../src/scenarios/suite.ts';
import type { BillingSystem } from '../../src/sut/contract.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';

const scenarios = Array.from({ length: 8 }, (_, index) => ({
  scenario: defineScenario({
    name: `idle ${index}`,
    pattern: 'byo-stripe',
    psps: ['stripe'],
    async run(ctx) {
      await ctx.advance('1d');
      await ctx.advance('1d');
    },
  }),
}));

/** One shared service that counts the runs it holds at once, as a single-state service would see them. */
function countingService(concurrentRuns?: number) {
  let inFlight = 0;
  const seen = { most: 0, runIds: new Set<string>() };
  const system: BillingSystem = {
    setup: async (request) => {
      inFlight++;
      seen.most = Math.max(seen.most, inFlight);
      seen.runIds.add(request.runId);
      return {
        webhooks: {},
        patterns: ['byo-stripe'],
        psps: ['stripe'],
        ...(concurrentRuns === undefined ? {} : { concurrentRuns }),
      };
    },
    createCustomer: async () => undefined,
    recordUsage: async () => undefined,
    topUp: async () => undefined,
    refund: async () => undefined,
    // Long enough that runs the suite lets overlap do overlap.
    advanceClock: () => new Promise((resolve) => setTimeout(resolve, 25)),
    settle: async () => undefined,
    ledger: async () => ({ transactions: [] }),
  };
  const sut: RunSut = { ...system, close: async () => void inFlight-- };
  return { sut, seen };
}

const suite = (sut: RunSut, options: { concurrency: number; lanesUntilDeclared?: number }) =>
  runSuite(planRuns(scenarios), {
    sut: () => sut,
    environment: loopbackEnvironment,
    check: () => ({ ok: true, findings: [] }),
    ...options,
  });

describe('how many runs a suite has in flight against one service', () => {
  it('gives a service that declares nothing one run at a time, whatever --concurrency says', async () => {
    const { sut, seen } = countingService();
    const results = await suite(sut, { concurrency: 8, lanesUntilDeclared: 1 });
    expect(results.map((result) => result.status)).toEqual(Array(8).fill('passed'));
    expect(seen.most).toBe(1);
    expect(seen.runIds.size).toBe(8);
  });

  it('widens to what the service declares (concurrentRuns), capped by --concurrency', async () => {
    const declaresThree = countingService(3);
    await suite(declaresThree.sut, { concurrency: 8, lanesUntilDeclared: 1 });
    expect(declaresThree.seen.most).toBe(3);
    const declaresTen = countingService(10);
    await suite(declaresTen.sut, { concurrency: 2, lanesUntilDeclared: 1 });
    expect(declaresTen.seen.most).toBe(2);
  });

  it('keeps the in-process lanes when nothing limits them', async () => {
    const { sut, seen } = countingService();
    await suite(sut, { concurrency: 4 });
    expect(seen.most).toBe(4);
  });
});
