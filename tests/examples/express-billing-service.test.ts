import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand, type RunCommandOptions } from '../../src/cli/run.ts';
import type { ScenarioResult } from '../../src/scenarios/runner.ts';
import { freeLoopbackPort } from '../../src/sut/service-process.ts';

// The template service users copy: a single-state byo-stripe service in its own process, written
// without fakepsp. The whole shipped library runs against it the two ways a user would.
const root = join(import.meta.dirname, '..', '..');
const workspace = join(root, '.fakepsp', 'example-service');
const server = 'examples/express-billing-service/server.js';
const command = `${JSON.stringify(process.execPath)} ${server}`;

type Run = Omit<ScenarioResult, 'journal'>;

async function library(name: string, options: Partial<RunCommandOptions>) {
  const out = join(workspace, name);
  const code = await runCommand([], { reporter: ['json'], out, quiet: true, ...options }, root);
  const report = JSON.parse(await readFile(join(out, 'fakepsp-report.json'), 'utf8')) as {
    summary: Record<string, number>;
    runs: Run[];
  };
  return { code, ...report };
}

const byoStripe = (runs: readonly Run[]) => runs.filter((run) => run.pattern === 'byo-stripe');

beforeAll(async () => {
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => vi.restoreAllMocks());

describe('the example service behind --sut URL, with default flags', () => {
  let service: ChildProcess | undefined;
  afterAll(() => void service?.kill());

  it('passes every run its pattern covers, one run at a time (it never sees two run ids at once)', async () => {
    const port = await freeLoopbackPort();
    service = spawn(process.execPath, [server], { cwd: root, env: { ...process.env, PORT: String(port) } });
    let stderr = '';
    service.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve) => service!.stdout!.once('data', () => resolve()));
    const report = await library('url', { sut: `http://127.0.0.1:${port}` });
    expect(report.summary).toMatchObject({ passed: 25, failed: 0, errored: 0, skipped: 122 });
    expect(byoStripe(report.runs).map((run) => run.status)).toEqual(Array(25).fill('passed'));
    expect(report.code).toBe(0);
    expect(stderr).not.toContain('interleaved');
    expect(report.runs[0]!.replay).toContain(`--sut http://127.0.0.1:${port}`);
  }, 120_000);
});

describe('the example service through --sut-cmd', () => {
  it('gives the same verdicts and journal hashes with two lanes as with one', async () => {
    const serial = await library('cmd-1', { sutCmd: command, concurrency: 1 });
    const twoLanes = await library('cmd-2', { sutCmd: command, concurrency: 2 });
    expect(serial.code).toBe(0);
    expect(serial.summary).toMatchObject({ passed: 25, failed: 0, errored: 0 });
    const verdicts = (runs: readonly Run[]) =>
      runs.map((run) => [run.scenario, run.psp, run.status, run.journalHash]);
    expect(verdicts(twoLanes.runs)).toEqual(verdicts(serial.runs));
  }, 180_000);
});
