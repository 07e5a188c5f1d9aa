import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pspsOfPattern } from '../../src/cli/explore-target.ts';
import { sequenceArbitrary, type Sequence } from '../../src/explore/actions.ts';
import type { ExploreFinding } from '../../src/explore/explore.ts';
import { planOf } from '../../src/explore/fault-arms.ts';
import { literal } from '../../src/explore/literal.ts';
import { findingFileName, scenarioSource, type FindingOrigin } from '../../src/explore/write-scenario.ts';
import { vocabularyOf } from '../../src/explore/vocabulary.ts';
import { parseFaultPlan } from '../../src/fakes/common/fault-plan-schema.ts';
import type { ScenarioResult } from '../../src/scenarios/runner.ts';
import { integrationPatterns } from '../../src/sut/contract.ts';

const targets = integrationPatterns.flatMap((pattern) =>
  pspsOfPattern[pattern].map((psp) => ({ pattern, psp })),
);

describe('the exploration vocabulary', () => {
  it.each(targets)(
    '$pattern · $psp: every fault plan is valid and selects by nth, path and event type, never by rate',
    ({ pattern, psp }) => {
      const vocabulary = vocabularyOf(pattern, psp);
      fc.assert(
        fc.property(sequenceArbitrary(vocabulary), (sequence) => {
          const plan = planOf(sequence.faults, vocabulary);
          expect(parseFaultPlan(plan).ok).toBe(true);
          for (const rule of [...(plan.api ?? []), ...(plan.webhooks ?? [])])
            expect(rule.match.rate).toBeUndefined();
          // A lost answer or a refusal fires on counted requests only: an unbounded one would make
          // an SDK back off in wall time on every request of the run.
          for (const rule of plan.api ?? []) expect(rule.match.nth).toBeGreaterThan(0);
          expect(sequence.signUps.length).toBeGreaterThan(0);
        }),
        { numRuns: 200, seed: 7 },
      );
    },
  );

  it('only Stripe webhooks are dropped for good or sent with a stale timestamp (only Stripe polls, and signs a time)', () => {
    for (const { pattern, psp } of targets) {
      const vocabulary = vocabularyOf(pattern, psp);
      fc.assert(
        fc.property(sequenceArbitrary(vocabulary), (sequence) => {
          for (const rule of planOf(sequence.faults, vocabulary).webhooks ?? []) {
            if (rule.match.retries === true || rule.effect.kind === 'stale_timestamp')
              expect(rule.psp).toBe('stripe');
          }
        }),
        { numRuns: 100, seed: 11 },
      );
    }
  });

  it('a hybrid never loses the answer of a Razorpay order (no idempotency key: the customer would pay twice)', () => {
    const vocabulary = vocabularyOf('hybrid', 'razorpay');
    expect(
      vocabulary.lostAnswerTargets.filter((target) => target.psp === 'razorpay').map((target) => target.path),
    ).toEqual(['/v1/payments/*/refund']);
    expect(vocabulary.faultTargets.some((target) => target.path === '/v1/orders')).toBe(true);
  });
});

describe('literal', () => {
  it('writes values as a person writes TypeScript', () => {
    expect(
      literal({ customerId: 'c_1', plan: { interval: 'month', unitPricesMinor: { tokens: 2 } }, n: [1, 2] }),
    ).toBe("{ customerId: 'c_1', plan: { interval: 'month', unitPricesMinor: { tokens: 2 } }, n: [1, 2] }");
    expect(literal({ 'odd-key': "it's" })).toBe("{ 'odd-key': 'it\\'s' }");
    expect(literal({ gone: undefined, kept: true })).toBe('{ kept: true }');
  });
});

describe('the written scenario', () => {
  const sequence: Sequence = {
    signUps: [{ kind: 'signUp', currency: 'zero', card: 0, interval: 'month' }],
    faults: [
      { kind: 'lostResponse', target: 2, nth: 1, times: 3, effect: 'reset' },
      { kind: 'webhook', family: 1, nth: 2, every: false, effect: 'duplicate', setting: 1 },
    ],
    actions: [{ kind: 'advance', by: '31d' }],
  };
  const finding: ExploreFinding = {
    sequence,
    result: {
      status: 'failed',
      findings: [{ kind: 'double_charge', message: '…' }],
    } as unknown as ScenarioResult,
    records: [
      {
        action: sequence.signUps[0]!,
        label: 'c_1 signs up',
        code: "() => ctx.customer({ customerId: 'c_1' }).catch(refused)",
      },
      {
        action: { kind: 'usage', customer: 0, quantity: 1, event: 'repeat', back: 0 },
        label: 'usage',
        skipped: 'none yet',
      },
      { action: sequence.actions[0]!, label: '31d pass', code: "() => ctx.advance('31d').catch(refused)" },
    ],
    kinds: ['double_charge'],
    firstKinds: ['billed_beyond_plan', 'double_charge'],
    index: 12,
    path: '12:1:0',
    foundAfterMs: 900,
    shrinkRuns: 40,
  };
  const origin: FindingOrigin = {
    pattern: 'byo-stripe',
    psp: 'stripe',
    seed: 99,
    maxSteps: 16,
    sut: { kind: 'reference', mutant: 'retryMintsNewIdempotencyKey' },
  };
  const file = `fakepsp-findings/${findingFileName(finding, origin)}`;
  const source = scenarioSource(finding, origin, file);

  it('imports defineScenario from the package, fixes its seed and has one step per line for each step taken', () => {
    expect(source).toContain("import { defineScenario } from 'fakepsp';");
    expect(source).toContain('  seed: 99,');
    const steps = source.split('\n').filter((line) => line.trimStart().startsWith('await ctx.step('));
    expect(steps).toEqual([
      "    await ctx.step('c_1 signs up', () => ctx.customer({ customerId: 'c_1' }).catch(refused));",
      "    await ctx.step('31d pass', () => ctx.advance('31d').catch(refused));",
    ]);
  });

  it('arms the faults as its plan, each named in a comment, by nth', () => {
    expect(source).toContain(
      '      // the 1st Stripe charge request: its answer is lost after the PSP acted (reset)',
    );
    expect(source).toContain(
      '      // the 3rd Stripe charge request: its answer is lost after the PSP acted (reset)',
    );
    expect(source).toContain("match: { method: 'POST', path: '/v1/payment_intents', nth: 2 }");
    expect(source).toContain('      // the 2nd stripe payment_intent.* webhook delivered 3 times');
  });

  it('says how to run it, explore again and replay it in fast-check', () => {
    expect(source).toContain(
      `// Run it:        npx fakepsp run ${file} --mutant retryMintsNewIdempotencyKey`,
    );
    expect(source).toContain(
      '// Explore again: npx fakepsp explore --mutant retryMintsNewIdempotencyKey --pattern byo-stripe --psp stripe --seed 99 --max-steps 16',
    );
    expect(source).toContain('fc.assert(property, { seed: 99, path: "12:1:0" })');
    expect(file).toMatch(
      /^fakepsp-findings\/byo-stripe\.stripe\.double_charge\.seed-99\.[0-9a-f]{8}\.scenario\.ts$/,
    );
  });

  it('found against a factory (exploreTest), says to run it with scenarioTests, not a command that names no service', () => {
    const fromFactory = scenarioSource(finding, { ...origin, sut: { kind: 'factory' } }, file);
    expect(fromFactory).toContain(
      `// Run it:        scenarioTests(${JSON.stringify(file)}, { sut: <your factory> })`,
    );
    expect(fromFactory).toContain(
      "// Explore again: exploreTest({ sut: <your factory>, pattern: 'byo-stripe'",
    );
    expect(fromFactory).not.toContain('npx fakepsp run');
  });
});
