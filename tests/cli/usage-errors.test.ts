import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli, runThenReplay } from '../support/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const workspace = join(root, '.fakepsp', 'usage-errors');
const tiny = 'tests/fixtures/tiny.scenario.ts';
const run = promisify(execFile);

beforeAll(async () => {
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
});
afterEach(() => vi.restoreAllMocks());

describe('mistakes on the command line are one line and exit code 2, never a stack trace', () => {
  it.each([
    [
      ['run', '--sut', 'localhost:5150'],
      "--sut localhost:5150: a service's URL needs its scheme, e.g. --sut http://localhost:5150",
    ],
    [['run', '--mutant', 'noSuchBug'], "no mutant 'noSuchBug' (known: retryMintsNewIdempotencyKey"],
    [['run', '--shard', '3'], "option '--shard <i/n>' argument '3' is invalid. expected i/n, e.g. 1/4"],
    [
      ['run', '--shard', '5/2'],
      "option '--shard <i/n>' argument '5/2' is invalid. expected i/n with 1 ≤ i ≤ n",
    ],
    [['run', '--concurrency', '0'], "argument '0' is invalid. expected a whole number of at least 1"],
    [['serve', '--stripe-port', '99999'], "argument '99999' is invalid. expected a port from 0 to 65535"],
    [
      ['serve', '--spill-dir', 'no/such/folder'],
      '--spill-dir no/such/folder: no such folder, or not one fakepsp may write to',
    ],
    [['run', 'scenarios/no-such-folder'], 'no such file or folder: scenarios/no-such-folder'],
    [
      ['run', tiny, '--reporter', 'json,html'],
      '--reporter json,html needs --out DIR: several reports would mix on stdout',
    ],
    [['run', '--reporter', 'xml'], "argument 'xml' is invalid. expected pretty, json, junit, html"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('fakepsp %j', async (args, message) => {
    const { code, lines, text } = await cli(...args);
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(text).toContain(message);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('names the fake, the port and the flag when serve finds its port taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const tlsDir = join(tmpdir(), 'fakepsp-usage-errors-tls');
      const { code, lines } = await cli(
        'serve',
        '--stripe-port',
        String(port),
        '--adyen-port',
        '0',
        '--razorpay-port',
        '0',
        '--tls-dir',
        tlsDir,
      );
      expect(code).toBe(2);
      expect(lines).toEqual([
        `the fake stripe cannot listen on 127.0.0.1:${port}: the port is in use; choose another with --stripe-port`,
      ]);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('prints its version', async () => {
    const { code, text } = await cli('--version');
    expect(code).toBe(0);
    expect(text).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

// Loaded by Node itself, as a user's `npx fakepsp` loads them (vitest would transform them first).
async function cliProcess(...args: string[]) {
  const result = await run(process.execPath, ['--conditions=fakepsp-source', 'src/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  }).then(
    (done) => ({ code: 0, ...done }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
  return { code: result.code, text: `${result.stdout}${result.stderr}` };
}

describe('scenario files that do not load', () => {
  it('reports a file with a syntax error in one line and still runs the others', async () => {
    const folder = join(workspace, 'broken');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'broken.scenario.ts'), 'export const x = {\n  oops oops\n};\n');
    const { code, text } = await cliProcess('run', tiny, '.fakepsp/usage-errors/broken', '--quiet');
    expect(code).toBe(1);
    const problem = text.split('\n').filter((line) => line.includes('broken.scenario.ts'));
    expect(problem).toHaveLength(1);
    expect(problem[0]).toMatch(
      /^✗ \.fakepsp\/usage-errors\/broken\/broken\.scenario\.ts(:\d+)? did not load: SyntaxError: \S/,
    );
    expect(text).toContain('3 passed, 0 failed, 0 errored, 0 skipped');
    expect(text).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('refuses a scenario whose pattern or PSP is misspelt, instead of skipping it silently', async () => {
    const folder = join(workspace, 'typo');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, 'typo.scenario.mjs'),
      "export const typo = { name: 'typo', pattern: 'byo-strpe', psps: ['stripe'], async run() {} };\n",
    );
    const { code, text } = await cli('list', '.fakepsp/usage-errors/typo');
    expect(code).toBe(1);
    expect(text).toContain("scenario 'typo': no pattern 'byo-strpe' (known: byo-stripe, embedded-stripe");
  });

  it('says how to fix a TypeScript scenario in a CommonJS project, and finds .scenario.mts files', async () => {
    const folder = join(workspace, 'commonjs');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'package.json'), '{ "type": "commonjs" }\n');
    // As in a user's project, fakepsp is installed where the scenarios find it.
    await mkdir(join(folder, 'node_modules'), { recursive: true });
    await symlink(root, join(folder, 'node_modules', 'fakepsp')).catch(() => undefined);
    const scenario =
      "import { defineScenario } from 'fakepsp';\n" +
      "export const s = defineScenario({ name: 'NAME', pattern: 'byo-stripe', psps: ['stripe'], async run() {} });\n";
    await writeFile(join(folder, 'cjs.scenario.ts'), scenario.replace('NAME', 'as ts'));
    await writeFile(join(folder, 'esm.scenario.mts'), scenario.replace('NAME', 'as mts'));
    const { code, text } = await cliProcess('list', '.fakepsp/usage-errors/commonjs');
    expect(code).toBe(1);
    expect(text).toContain('cjs.scenario.ts is loaded as CommonJS');
    expect(text).toContain('name it *.scenario.mts, or set "type": "module" in package.json');
    expect(text).toContain('as mts');
    expect(text).not.toContain('Warning');
  }, 30_000);
});

describe('runs that test nothing', () => {
  it('exits non-zero with the reasons when every run was skipped', async () => {
    const service = `${JSON.stringify(process.execPath)} tests/fixtures/tiny-service.ts`;
    const { code, text } = await cli(
      'run',
      tiny,
      '--scenario',
      'tiny: a pattern the service does not implement',
      '--quiet',
      '--sut-cmd',
      service,
    );
    expect(code).toBe(1);
    expect(text).toContain('every run was skipped, so nothing was tested:');
    expect(text).toContain('1 × the SUT does not implement pattern managed-stripe');
  });

  it('takes the path after --reporter as a path', async () => {
    const { code, text } = await cli('run', '--reporter', 'pretty', tiny, '--quiet', '--psp', 'stripe');
    expect(code).toBe(0);
    expect(text).toContain('3 passed, 0 failed, 0 errored, 0 skipped (3 runs)');
  });

  it('shows the table, the breaks and where the reports went when writing them to --out', async () => {
    const out = join(workspace, 'out');
    const { code, text } = await cli(
      'run',
      tiny,
      '--quiet',
      '--reporter',
      'json,html',
      '--out',
      out,
      '--mutant',
      'duplicateUsageBilled',
    );
    expect(code).toBe(0);
    expect(text).toContain('pattern');
    expect(text).toContain(`report: ${join(out, 'fakepsp-report.json')}`);
    expect(text).toContain(`report: ${join(out, 'fakepsp-report.html')}`);
  });
});

describe('a replay line', () => {
  it('reproduces the failure it came from: the same scenario, PSP, seed and mutant fail again', async () => {
    const out = join(workspace, 'replay');
    const { code, failed, words, again } = await runThenReplay(
      out,
      'scenarios/byo-stripe/usage.scenario.ts',
      '--mutant',
      'duplicateUsageBilled',
    );
    expect(code).toBe(1);
    expect(failed?.replay).toContain('--mutant duplicateUsageBilled');
    // The words of the printed command, as a shell would split them.
    expect(words.slice(0, 3)).toEqual(['npx', 'fakepsp', 'run']);
    expect(again?.code).toBe(1);
    expect(again?.text).toContain(`✗ ${failed!.scenario}`);
    expect(again?.text).toContain('0 passed, 1 failed');
  });
});
