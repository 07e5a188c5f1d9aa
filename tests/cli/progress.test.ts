import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.ts';
import type { ScenarioResult } from '../../src/scenarios/runner.ts';

function capture(tty: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, {
    isTTY: tty,
    columns: 120,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream, text: () => stripVTControlCharacters(text) };
}

const result = (scenario: string, status: ScenarioResult['status']): ScenarioResult => ({
  scenario,
  pattern: 'multi-psp',
  psp: 'adyen',
  seed: 1,
  status,
  findings: [],
  breaks: [],
  journalHash: '',
  journal: [],
  identity: { scenario, pattern: 'multi-psp', psp: 'adyen', seed: 1 },
  replay: '',
});

describe('fakepsp run progress', () => {
  it('prints one line per run when stderr is not a terminal (CI logs)', () => {
    const out = capture(false);
    const progress = createProgress({ quiet: false, stream: out.stream });
    progress.onResult(result('first', 'passed'), 1, 2);
    progress.onResult(result('second', 'failed'), 2, 2);
    progress.stop();
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('second');
    expect(lines[1]).toContain('[2/2]');
  });

  it('draws a live bar on a terminal and prints failing runs above it', () => {
    const out = capture(true);
    const progress = createProgress({ quiet: false, stream: out.stream });
    progress.onResult(result('fine', 'passed'), 1, 3);
    progress.onResult(result('broken one', 'failed'), 2, 3);
    progress.onResult(result('fine again', 'passed'), 3, 3);
    progress.stop();
    const text = out.text();
    expect(text).toContain('broken one');
    expect(text).not.toContain('fine again [');
    expect(text).toMatch(/\d\/3 runs · 1 failing/);
  });

  it('says nothing when quiet', () => {
    const out = capture(true);
    const progress = createProgress({ quiet: true, stream: out.stream });
    progress.onResult(result('x', 'failed'), 1, 1);
    progress.stop();
    expect(out.text()).toBe('');
  });
});
