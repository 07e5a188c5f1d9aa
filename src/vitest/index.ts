/**
 * `fakepsp/vitest`: the checker's matchers (`expect(run).toBeReconciled()`), one vitest test
 * per scenario (`scenarioTests`), and one test that explores generated runs (`exploreTest`).
 *
 * @example
 * import { setupFakepspMatchers, scenarioTests } from 'fakepsp/vitest';
 * setupFakepspMatchers();
 * await scenarioTests('scenarios/**\/*.scenario.ts', { sut: 'http://127.0.0.1:4000' });
 */
export * from '../assertions/vitest.ts';
export { scenarioTests, type ScenarioTestsOptions } from './scenario-tests.ts';
export { exploreTest, type ExploreTestOptions } from './explore-test.ts';
