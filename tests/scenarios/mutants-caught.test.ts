import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/cli/load-scenarios.ts';
import {
  createReferenceBillingSystem,
  mutantNames,
  type MutantName,
  type ReferenceOptions,
} from '../../src/reference/index.ts';
import { reconcileRun } from '../../src/scenarios/check.ts';
import type { ScenarioResult } from '../../src/scenarios/runner.ts';
import { planRuns, runSuite, type PlannedRun } from '../../src/scenarios/suite.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';

// The acceptance test of the reference issue: the shipped library (every pattern under
// scenarios/) catches every seeded bug, and the correct reference passes all of it.

const concurrency = 4;
const runKey = (run: PlannedRun) => `${run.entry.scenario.name}\u0000${run.psp}`;
const resultKey = (result: ScenarioResult) => `${result.scenario}\u0000${result.psp}`;

/**
 * Scenarios tagged for the bug run first, so a mutant's loop usually stops after one batch;
 * the rest of the library follows, so a renamed or retagged scenario only costs time.
 */
const likelyTags: Partial<Record<MutantName, readonly string[]>> = {
  retryMintsNewIdempotencyKey: ['lost-response'],
  noWebhookDedupe: ['duplicate-webhooks'],
  refundBeforePaymentDropped: ['out-of-order-webhooks'],
  zeroDecimalTimes100: ['zero-decimal', 'currency'],
  duplicateUsageBilled: ['duplicates'],
  lostDisputeNeverPosted: ['disputes'],
  badSignatureAccepted: ['signatures'],
  staleSignatureAccepted: ['signatures'],
  wrongConnectAccountCredited: ['lifecycle'],
  nonAtomicWalletDebit: ['concurrency'],
  billingJobRerunCharges: ['billing-cycle'],
  dashboardRefundIgnored: ['dashboard'],
  refundFailureIgnored: ['refund-failure'],
  noReconcileJob: ['missed-webhooks', 'poll'],
  adyenCaptureFailureBooked: ['async-modifications'],
  razorpayFailedThenCapturedIgnored: ['late-capture'],
  unsignedWebhookAccepted: ['unsigned'],
  usagePricedInFloat: ['pricing'],
  razorpayAuthorisedBooked: ['authorised-not-captured'],
  razorpayAddonBookedPerDelivery: ['duplicate-webhooks'],
};

/** A configuration of the reference a mutant is tried in. */
interface Variant {
  readonly label: string;
  readonly options: ReferenceOptions;
  /** Only these patterns' scenarios run against it (all when absent). */
  readonly patterns?: readonly string[];
}

/**
 * The default reference, and the embedded pattern's opaque variant (destination charges): it
 * holds code the default transparent variant never runs, such as the payout account that
 * wrongConnectAccountCredited gets wrong, so the embedded scenarios also run against it.
 */
const variants: readonly Variant[] = [
  { label: 'default', options: {} },
  { label: 'embedded opaque', options: { embeddedVariant: 'opaque' }, patterns: ['embedded-stripe'] },
];

interface Trial {
  readonly variant: Variant;
  readonly planned: PlannedRun;
}

/** Every (variant, scenario) pair to try, the bug's tagged scenarios first across variants. */
function trials(
  runs: readonly PlannedRun[],
  passedCorrect: ReadonlySet<string>,
  mutant: MutantName,
): Trial[] {
  const tags = likelyTags[mutant] ?? [];
  const all = variants.flatMap((variant) =>
    runs
      .filter(
        (planned) =>
          passedCorrect.has(runKey(planned)) &&
          (variant.patterns === undefined || variant.patterns.includes(planned.entry.scenario.pattern)),
      )
      .map((planned) => ({ variant, planned })),
  );
  const tagged = (trial: Trial) =>
    (trial.planned.entry.scenario.tags ?? []).some((tag) => tags.includes(tag));
  return [...all.filter(tagged), ...all.filter((trial) => !tagged(trial))];
}

function run(runs: readonly PlannedRun[], options: ReferenceOptions): Promise<ScenarioResult[]> {
  return runSuite(runs, {
    sut: () => createReferenceBillingSystem(options),
    environment: loopbackEnvironment,
    check: reconcileRun,
    concurrency,
  });
}

/** Runs `concurrency` trials at a time and starts no new one once one has failed (or errored). */
async function firstFailures(
  queue: readonly Trial[],
  mutant: MutantName,
): Promise<Array<{ readonly trial: Trial; readonly result: ScenarioResult }>> {
  const failures: Array<{ trial: Trial; result: ScenarioResult }> = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < queue.length && failures.length === 0) {
      const trial = queue[next++]!;
      const [result] = await run([trial.planned], { ...trial.variant.options, mutant });
      if (result!.status === 'failed' || result!.status === 'errored')
        failures.push({ trial, result: result! });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return failures;
}

const describeResult = (result: ScenarioResult) =>
  `'${result.scenario}' [${result.pattern}] (${result.status}: ${
    result.findings.map((finding) => finding.kind).join(', ') || (result.reason ?? 'no reason given')
  })`;

describe('every seeded bug of the reference is caught by the shipped scenario library', () => {
  let runs: PlannedRun[] = [];
  let correct: ScenarioResult[] = [];

  beforeAll(async () => {
    runs = planRuns(await loadScenarios([], process.cwd()));
    correct = await run(runs, {});
  }, 300_000);

  it('the correct reference passes every shipped scenario', () => {
    expect(runs.length).toBeGreaterThanOrEqual(60);
    const wrong = correct
      .filter((result) => result.status !== 'passed')
      .map((result) => ({
        scenario: result.scenario,
        status: result.status,
        reason: result.reason,
        findings: result.findings.map((finding) => `${finding.kind}: ${finding.message}`),
        replay: result.replay,
      }));
    expect(wrong, 'scenarios failing against the correct reference').toEqual([]);
  });

  it.each(mutantNames)('%s is caught', { timeout: 300_000 }, async (mutant) => {
    const passedCorrect = new Set(
      correct.filter((result) => result.status === 'passed').map((result) => resultKey(result)),
    );
    const queue = trials(runs, passedCorrect, mutant);
    const failures = await firstFailures(queue, mutant);
    // A catch counts only where the correct reference of the same variant passes the scenario
    // (the default variant's verdicts are known; another variant's are run now).
    const caughtBy: ScenarioResult[] = [];
    for (const { trial, result } of failures) {
      const baseline =
        trial.variant === variants[0]
          ? correct.find((known) => resultKey(known) === resultKey(result))
          : (await run([trial.planned], trial.variant.options))[0];
      if (baseline?.status === 'passed') caughtBy.push(result);
    }
    const named = (results: readonly ScenarioResult[]) => results.map(describeResult).join('; ');
    expect(
      caughtBy,
      failures.length === 0
        ? `${mutant} survives all ${queue.length} runs of the library: no scenario fails for it`
        : `${mutant} fails only scenarios the correct reference fails too: ${named(failures.map((f) => f.result))}`,
    ).not.toEqual([]);
    console.info(`${mutant} is caught by ${named(caughtBy)}`);
  });
});
