import { describe, expect, it } from 'vitest';
import { replayLine, sutFlags, type RunIdentity } from '../../src/scenarios/run-identity.ts';

const run: RunIdentity = {
  scenario: 'refund "twice"',
  pattern: 'byo-stripe',
  psp: 'stripe',
  seed: 7,
  file: 'scenarios/x.scenario.ts',
};

describe('a run identity', () => {
  it('names every kind of service with the flags that bring it back', () => {
    expect(sutFlags(undefined)).toBe('');
    expect(sutFlags({ kind: 'reference' })).toBe('');
    expect(sutFlags({ kind: 'reference', mutant: 'noWebhookDedupe' })).toBe('--mutant noWebhookDedupe');
    expect(sutFlags({ kind: 'url', url: 'http://127.0.0.1:4000' })).toBe('--sut http://127.0.0.1:4000');
    expect(sutFlags({ kind: 'module', module: './my billing.ts' })).toBe("--sut './my billing.ts'");
    expect(sutFlags({ kind: 'factory' })).toBe('--sut <a module exporting your factory>');
    expect(sutFlags({ kind: 'command', command: "node -e 'x'", reuse: true })).toBe(
      `--sut-cmd 'node -e '\\''x'\\''' --sut-reuse`,
    );
  });

  it('formats the replay line from the identity alone', () => {
    expect(replayLine(run)).toBe(
      'npx fakepsp run scenarios/x.scenario.ts --scenario "refund \\"twice\\"" --psp stripe --seed 7',
    );
    expect(replayLine({ ...run, sut: { kind: 'command', command: 'node server.js', reuse: false } })).toBe(
      `npx fakepsp run scenarios/x.scenario.ts --scenario "refund \\"twice\\"" --psp stripe --seed 7 --sut-cmd 'node server.js'`,
    );
    const { file: _file, ...noFile } = run;
    expect(replayLine(noFile)).toContain('npx fakepsp run <scenario file> ');
  });
});
