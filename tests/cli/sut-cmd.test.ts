import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/run.ts';
import type { ScenarioResult } from '../../src/scenarios/runner.ts';

const root = join(import.meta.dirname, '..', '..');
const workspace = join(root, '.fakepsp', 'sut-cmd');
const scenarios = 'tests/fixtures/tiny.scenario.ts';
const service = `${JSON.stringify(process.execPath)} tests/fixtures/tiny-service.ts`;
const errors: string[] = [];

beforeAll(async () => {
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  vi.restoreAllMocks();
  delete process.env.CRASH_ON_USAGE;
});

async function run(name: string, options: Record<string, unknown>) {
  const out = join(workspace, name);
  const code = await runCommand([scenarios], { reporter: ['json'], out, quiet: true, ...options }, root);
  const report = JSON.parse(await readFile(join(out, 'fakepsp-report.json'), 'utf8')) as {
    runs: Omit<ScenarioResult, 'journal'>[];
  };
  return { code, runs: report.runs };
}

const pidsIn = (runs: readonly Omit<ScenarioResult, 'journal'>[]) =>
  runs.flatMap((result) => (result.sutOutput ?? []).flatMap((line) => /pid (\d+)/.exec(line)?.[1] ?? []));

// A killed process may linger a moment as a zombie until it is reaped: that is not running.
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const alive = async (pid: number) => {
  for (let tries = 0; tries < 20 && running(pid); tries++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return running(pid);
};

describe('fakepsp run --sut-cmd', () => {
  it('starts a fresh service per run, gives the same verdicts and journals with 2 lanes as with 1, and leaves nothing running', async () => {
    const serial = await run('one-lane', { sutCmd: service, concurrency: 1 });
    const twoLanes = await run('two-lanes', { sutCmd: service, concurrency: 2 });
    expect(serial.code).toBe(0);
    const verdicts = (runs: typeof serial.runs) =>
      runs.map((result) => [result.scenario, result.status, result.journalHash]);
    expect(verdicts(serial.runs).map((verdict) => verdict[1])).toEqual(['skipped', 'passed', 'passed']);
    expect(verdicts(twoLanes.runs)).toEqual(verdicts(serial.runs));
    // Every run that went past setup had its own process, whose start it saw in its output.
    const ran = twoLanes.runs.filter((result) => result.status === 'passed');
    expect(new Set(pidsIn(ran)).size).toBe(ran.length);
    expect(twoLanes.runs[0]!.replay).toContain(`--sut-cmd '${service}'`);
    for (const pid of [...pidsIn(serial.runs), ...pidsIn(twoLanes.runs)])
      expect(await alive(Number(pid))).toBe(false);
  }, 60_000);

  it('reports a service that dies mid-run as errored, naming its exit and the step, with its own last words', async () => {
    process.env.CRASH_ON_USAGE = '1';
    const { code, runs } = await run('crash', { sutCmd: service, concurrency: 1 });
    delete process.env.CRASH_ON_USAGE;
    expect(code).toBe(1);
    const crashed = runs.filter((result) => result.status === 'errored');
    expect(crashed).toHaveLength(2);
    expect(crashed[0]!.reason).toBe('the billing service exited with code 3 during step "usage"');
    expect(crashed[0]!.step).toBe('usage');
    expect(crashed[0]!.sutOutput).toContain('tiny service: about to crash while recording usage');
    for (const pid of pidsIn(runs)) expect(await alive(Number(pid))).toBe(false);
  }, 60_000);

  it('exits 2 with a clear error when the command never answers', async () => {
    errors.length = 0;
    const gone = await runCommand(
      [scenarios],
      { reporter: ['pretty'], quiet: true, sutCmd: 'echo booting the service; exit 4' },
      root,
    );
    expect(gone).toBe(2);
    expect(errors.join('\n')).toContain(
      'the billing service command "echo booting the service; exit 4" exited with code 4 before it answered',
    );
    expect(errors.join('\n')).toContain('booting the service');
    errors.length = 0;
    const silent = await runCommand(
      [scenarios],
      { reporter: ['pretty'], quiet: true, sutCmd: 'sleep 30', sutReadyTimeout: 0.5 },
      root,
    );
    expect(silent).toBe(2);
    expect(errors.join('\n')).toMatch(
      /did not answer GET http:\/\/127\.0\.0\.1:\d+\/fakepsp\/ledger within 0.5 s \(--sut-ready-timeout\)/,
    );
  }, 30_000);
});

describe('fakepsp run --sut-cmd, interrupted', () => {
  it('stops every service process on Ctrl-C and exits 130', async () => {
    const pidDir = join(workspace, 'pids');
    await mkdir(pidDir, { recursive: true });
    const cli = spawn(
      process.execPath,
      ['src/cli/main.ts', 'run', scenarios, '--quiet', '--concurrency', '2', '--sut-cmd', service],
      { cwd: root, env: { ...process.env, HANG_ON_USAGE: '1', TINY_PID_DIR: pidDir }, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    // Both lanes' services are up and a run hangs in each.
    for (let tries = 0; tries < 400 && (await readdir(pidDir)).length < 2; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const pids = (await readdir(pidDir)).map(Number);
    expect(pids.length).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    for (const pid of pids) expect(await alive(pid)).toBe(false);
  }, 90_000);
});
