import { XMLParser } from 'fast-xml-parser';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { defineScenario } from '../../src/scenarios/define.ts';
import { junitReport } from '../../src/scenarios/reporters/junit.ts';
import { prettyReport } from '../../src/scenarios/reporters/pretty.ts';
import { runScenario, type Checker } from '../../src/scenarios/runner.ts';
import { parseShard, planRuns, runSuite, summarize } from '../../src/scenarios/suite.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';
import { stubSut } from './stub-sut.ts';

// A minimal checker for engine tests: ledger cash must equal the fake's succeeded charges.
const cashCheck: Checker = ({ ledger, env }) => {
  const charges = env.stripe.runtime.store.values('platform', 'charge') as unknown as Stripe.Charge[];
  const psp = charges
    .filter((charge) => charge.status === 'succeeded')
    .reduce((sum, charge) => sum + charge.amount, 0);
  const books = ledger.transactions
    .flatMap((transaction) => transaction.postings)
    .filter((posting) => posting.account === 'psp:stripe:cash')
    .reduce((sum, posting) => sum + posting.amount, 0);
  return psp === books
    ? { ok: true, findings: [] }
    : { ok: false, findings: [{ kind: 'cash_mismatch', message: `PSP ${psp}, ledger ${books}` }] };
};

const usageScenario = defineScenario({
  name: 'usage is billed once',
  pattern: 'byo-stripe',
  psps: ['stripe'],
  async run(ctx) {
    const customer = await ctx.step('create customer', () => ctx.customer());
    await ctx.usage(customer.customerId, 21, { eventId: 'e1' });
    await ctx.usage(customer.customerId, 21, { eventId: 'e1' });
    await ctx.usage(customer.customerId, 21, { eventId: 'e2' });
    await ctx.advance('31d');
  },
});

const run = (scenario = usageScenario, sut = stubSut(), seed?: number) =>
  runScenario(scenario, {
    sut: () => sut,
    environment: loopbackEnvironment,
    check: cashCheck,
    psp: 'stripe',
    file: 'scenarios/x.scenario.ts',
    ...(seed === undefined ? {} : { seed }),
  });

describe('scenario runner', () => {
  it('runs setup, steps, settle and the checker, and passes a correct SUT', async () => {
    const result = await run();
    expect(result).toMatchObject({ status: 'passed', seed: 42, psp: 'stripe', findings: [] });
    expect(result.replay).toBe(
      'npx fakepsp run scenarios/x.scenario.ts --scenario "usage is billed once" --psp stripe --seed 42',
    );
  });

  it("fails a SUT that double charges, with the checker's finding", async () => {
    const result = await run(usageScenario, stubSut({ doubleCharge: true }));
    expect(result.status).toBe('failed');
    expect(result.findings[0]).toMatchObject({ kind: 'cash_mismatch' });
  });

  it('gives the same journal hash for the same seed and another for another seed', async () => {
    const [first, second, other] = [
      await run(usageScenario, stubSut(), 7),
      await run(usageScenario, stubSut(), 7),
      await run(usageScenario, stubSut(), 8),
    ];
    expect(second.journalHash).toBe(first.journalHash);
    expect(other.journalHash).not.toBe(first.journalHash);
  });

  it('skips patterns the SUT does not declare, with the reason', async () => {
    const result = await run(
      defineScenario({ ...usageScenario, name: 'managed', pattern: 'managed-stripe' }),
    );
    expect(result).toMatchObject({
      status: 'skipped',
      reason: 'the SUT does not implement pattern managed-stripe',
    });
  });

  it('turns a runaway scenario into an error naming stepsMax', async () => {
    const runaway = defineScenario({
      ...usageScenario,
      name: 'runaway',
      stepsMax: 5,
      async run(ctx) {
        for (;;) await ctx.step('again', async () => undefined);
      },
    });
    const result = await run(runaway);
    expect(result.status).toBe('errored');
    expect(result.reason).toContain('stepsMax');
  });
});

describe('suites and reports', () => {
  const entries = ['a', 'b', 'c'].map((name) => ({
    scenario: defineScenario({ ...usageScenario, name, psps: ['stripe', 'adyen'] }),
  }));

  it('plans scenario × PSP runs and shards them disjointly and completely', () => {
    const all = planRuns(entries);
    expect(all).toHaveLength(6);
    const shards = [1, 2, 3].map((index) => planRuns(entries, parseShard(`${index}/3`)));
    expect(shards.flat()).toHaveLength(6);
    expect(
      new Set(shards.flat().map((planned) => `${planned.entry.scenario.name}/${planned.psp}`)).size,
    ).toBe(6);
    expect(() => parseShard('4/3')).not.toThrow();
    expect(() => planRuns(entries, parseShard('4/3'))).toThrow(RangeError);
  });

  it('runs a suite and writes JUnit XML whose counts match', async () => {
    const results = await runSuite(planRuns(entries.slice(0, 2)), {
      sut: () => stubSut(),
      environment: loopbackEnvironment,
      check: cashCheck,
      concurrency: 2,
    });
    const counts = summarize(results);
    expect(counts).toMatchObject({ total: 4, passed: 2, skipped: 2 });
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junitReport(results)) as {
      testsuites: { '@_tests': string; '@_skipped': string; testsuite: { testcase: unknown[] } };
    };
    expect(Number(xml.testsuites['@_tests'])).toBe(4);
    expect(Number(xml.testsuites['@_skipped'])).toBe(2);
    expect(xml.testsuites.testsuite.testcase).toHaveLength(4);
    expect(prettyReport(results)).toContain('2 passed, 0 failed, 0 errored, 2 skipped (4 runs)');
  });
});

describe('the default checker', () => {
  it('reconciles a correct SUT and names the break of a double-charging one', async () => {
    const { reconcileRun } = await import('../../src/scenarios/check.ts');
    const options = { environment: loopbackEnvironment, check: reconcileRun, psp: 'stripe' as const };
    const good = await runScenario(usageScenario, { ...options, sut: () => stubSut() });
    expect(good.findings).toEqual([]);
    expect(good.status).toBe('passed');
    const bad = await runScenario(usageScenario, { ...options, sut: () => stubSut({ doubleCharge: true }) });
    expect(bad.status).toBe('failed');
    expect(bad.findings.map((finding) => finding.kind)).toContain('missing_in_ledger');
  });
});
