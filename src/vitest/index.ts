/**
 * `fakepsp/vitest`: the checker's matchers (`expect(run).toBeReconciled()`) and one vitest test
 * per scenario (`scenarioTests`).
 *
 * @example
 * import { setupFakepspMatchers, scenarioTests } from 'fakepsp/vitest';
 * setupFakepspMatchers();
 * await scenarioTests('scenarios/**\/*.scenario.ts', { sut: 'http://127.0.0.1:4000' });
 */
export * from '../assertions/vitest.ts';
export { scenarioTests, type ScenarioTestsOptions } from './scenario-tests.ts';
