import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exploreOrThrow } from '../../src/vitest/explore-test.ts';
import { exploreTest } from '../../src/vitest/index.ts';
import { createReferenceBillingSystem } from '../../src/reference/index.ts';
import { root } from './support.ts';

const out = '.fakepsp/explore-tests/vitest';

beforeAll(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => vi.restoreAllMocks());

// The helper's own test: against the correct reference nothing is found, so it passes.
describe('exploreTest makes one vitest test', () => {
  exploreTest({
    sut: () => createReferenceBillingSystem(),
    pattern: 'multi-psp',
    psp: 'adyen',
    runs: 16,
    time: '30s',
    out,
    cwd: root,
  });
});

describe('exploreTest against a seeded bug', () => {
  it('fails with the written scenario, its breaks and the replay line', async () => {
    const failure = await exploreOrThrow({
      mutant: 'lostDisputeNeverPosted',
      pattern: 'byo-stripe',
      psp: 'stripe',
      seed: 12,
      shrinkRuns: 0,
      concurrency: 4,
      time: '30s',
      out,
      cwd: root,
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    const message = failure!.message;
    expect(message).toMatch(/^explore found dispute_not_posted after \d+ sequences; wrote \S+\.scenario\.ts/);
    expect(message).toContain('  dispute_not_posted: ');
    expect(message).toMatch(/replay: npx fakepsp run \S+\.scenario\.ts --mutant lostDisputeNeverPosted/);
    expect(message).toMatch(/fast-check: \{ seed: 12, path: "\d+" \}/);
  });
});
