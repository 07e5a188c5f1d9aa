import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/cli/load-scenarios.ts';
import { createReferenceBillingSystem, type ReferenceOptions } from '../../src/reference/index.ts';
import { reconcileRun } from '../../src/scenarios/check.ts';
import type { ScenarioResult } from '../../src/scenarios/runner.ts';
import { planRuns, runSuite } from '../../src/scenarios/suite.ts';
import { loopbackEnvironment } from '../../src/transports/scenario-environment.ts';

// The CLI's default SUT is the transparent variant (direct charges on each tenant's account);
// these runs hold the embedded library to the opaque one too (destination charges and a fee).
const catcher = 'embedded-stripe: tenants top up, usage debits the wallet, a month passes';

async function runEmbedded(options: ReferenceOptions): Promise<ScenarioResult[]> {
  const entries = await loadScenarios(['scenarios/embedded-stripe'], process.cwd());
  return runSuite(planRuns(entries), {
    sut: () => createReferenceBillingSystem(options),
    environment: loopbackEnvironment,
    check: reconcileRun,
    concurrency: 2,
  });
}

const verdict = (result: ScenarioResult) => ({
  scenario: result.scenario,
  status: result.status,
  ...(result.reason === undefined ? {} : { reason: result.reason }),
  findings: result.findings.map((finding) => `${finding.kind}: ${finding.message}`),
});

describe('embedded-stripe scenarios against the opaque variant (destination charges)', () => {
  let correct: ScenarioResult[] = [];
  beforeAll(async () => {
    correct = await runEmbedded({ embeddedVariant: 'opaque' });
  }, 120_000);

  it('the correct opaque reference reconciles in every scenario', () => {
    expect(correct.length).toBeGreaterThanOrEqual(12);
    const wrong = correct.filter((result) => result.status !== 'passed').map(verdict);
    expect(wrong, 'embedded scenarios failing against the correct opaque reference').toEqual([]);
  });

  it(
    'wrongConnectAccountCredited (a top-up paid out to the neighbouring tenant) is caught',
    { timeout: 120_000 },
    async () => {
      const results = await runEmbedded({ embeddedVariant: 'opaque', mutant: 'wrongConnectAccountCredited' });
      // Caught means: failed against the mutant, passed against the correct reference.
      const passedCorrect = new Set(
        correct.filter((result) => result.status === 'passed').map((result) => result.scenario),
      );
      const catching = results
        .filter((result) => result.status === 'failed' && passedCorrect.has(result.scenario))
        .map((result) => result.scenario);
      expect(catching, `wrongConnectAccountCredited should be caught by '${catcher}'`).toContain(catcher);
    },
  );
});
