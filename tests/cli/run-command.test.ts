import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand, selectEntries } from '../../src/cli/run.ts';
import { sutSource } from '../../src/cli/sut-source.ts';
import { freeLoopbackPort } from '../../src/sut/service-process.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { loadScenarios } from '../../src/cli/load-scenarios.ts';

const root = join(import.meta.dirname, '..', '..');
const workspace = join(root, '.fakepsp', 'run-command');
const scenarioFile = 'scenarios/byo-stripe/usage.scenario.ts';

beforeAll(async () => {
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => vi.restoreAllMocks());

describe('fakepsp run', () => {
  it('exits 0 when every run reconciles and writes pretty, JUnit and HTML reports to --out', async () => {
    const out = join(workspace, 'good');
    const code = await runCommand(
      [scenarioFile],
      { reporter: ['pretty', 'junit', 'html'], out, quiet: true },
      root,
    );
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'fakepsp-report.html',
      'fakepsp-report.txt',
      'fakepsp-report.xml',
    ]);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(
      await readFile(join(out, 'fakepsp-report.xml'), 'utf8'),
    ) as {
      testsuites: { '@_tests': string; '@_failures': string };
    };
    expect(Number(xml.testsuites['@_tests'])).toBeGreaterThan(0);
    expect(Number(xml.testsuites['@_failures'])).toBe(0);
  });

  it("exits 1 against a seeded bug and keeps the failing runs' journals", async () => {
    const out = join(workspace, 'bad');
    const code = await runCommand(
      [scenarioFile],
      { reporter: ['json'], out, mutant: 'duplicateUsageBilled', quiet: true },
      root,
    );
    expect(code).toBe(1);
    const report = JSON.parse(await readFile(join(out, 'fakepsp-report.json'), 'utf8')) as {
      summary: { failed: number; errored: number };
    };
    expect(report.summary.failed + report.summary.errored).toBeGreaterThan(0);
    expect((await readdir(out)).some((name) => name.endsWith('.journal.jsonl'))).toBe(true);
  });

  it('runs in worker threads with the same verdicts, journals and order as in one thread', async () => {
    const files = [scenarioFile, 'scenarios/multi-psp/refunds.scenario.ts'];
    const report = async (workers: number) => {
      const out = join(workspace, `workers-${workers}`);
      const code = await runCommand(files, { reporter: ['json'], out, quiet: true, workers }, root);
      const json = JSON.parse(await readFile(join(out, 'fakepsp-report.json'), 'utf8')) as {
        runs: { scenario: string; psp: string; status: string; journalHash: string }[];
      };
      return {
        code,
        runs: json.runs.map(({ scenario, psp, status, journalHash }) => [scenario, psp, status, journalHash]),
      };
    };
    const threaded = await report(2);
    expect(threaded.code).toBe(0);
    expect(threaded.runs.length).toBeGreaterThan(6);
    expect(threaded.runs.map((run) => run[1])).toEqual(
      expect.arrayContaining(['stripe', 'adyen', 'razorpay']),
    );
    expect(threaded).toEqual(await report(1));
  }, 60_000);

  it('exits 2 when no scenario matches', async () => {
    expect(
      await runCommand(
        [scenarioFile],
        { reporter: ['pretty'], scenario: 'no such scenario', quiet: true },
        root,
      ),
    ).toBe(2);
  });

  it('filters by --scenario and --psp', async () => {
    const entries = await loadScenarios([scenarioFile], root);
    const first = entries[0]!.scenario.name;
    expect(selectEntries(entries, { scenario: first })).toHaveLength(1);
    expect(selectEntries(entries, { psp: 'adyen' })).toEqual([]);
  });
});

describe('choosing the SUT', () => {
  it('takes a module exporting createBillingSystem(), and gives up on a call that never answers', async () => {
    const module = join(workspace, 'my-sut.ts');
    await writeFile(
      module,
      [
        'export function createBillingSystem() {',
        "  return { ledger: async () => ({ transactions: [], by: 'mine' }), settle: () => new Promise(() => {}) };",
        '}',
        '',
      ].join('\n'),
    );
    const source = await sutSource({ sut: module, sutTimeout: 0.2 }, root);
    const sut = await source.make(0);
    expect(await sut.ledger()).toEqual({ transactions: [], by: 'mine' });
    await expect(sut.settle()).rejects.toThrow(
      'the billing service did not answer settle within 0.2 s (--sut-timeout)',
    );
    expect(source.identity).toEqual({ kind: 'module', module });
  });

  it('refuses a module without a factory, and an unknown mutant, with clear messages', async () => {
    const module = join(workspace, 'empty.ts');
    await writeFile(module, 'export const nothing = 1;\n');
    await expect(sutSource({ sut: module }, root)).rejects.toThrow(/exports no createBillingSystem/);
    await expect(sutSource({ mutant: 'noSuchBug' }, root)).rejects.toThrow(UsageError);
    await expect(sutSource({ mutant: 'noSuchBug' }, root)).rejects.toThrow(/no mutant 'noSuchBug'/);
  });

  it('speaks the HTTP binding to a URL', async () => {
    const source = await sutSource({ sut: 'http://127.0.0.1:9/' }, root);
    const sut = await source.make(0);
    expect(typeof sut.setup).toBe('function');
    expect(source.lanesUntilDeclared).toBe(1);
    expect(source.identity).toEqual({ kind: 'url', url: 'http://127.0.0.1:9' });
  });
});

describe('a service that is not there', () => {
  it('exits 2 with one line, before loading any scenario, when nothing answers at --sut', async () => {
    const port = await freeLoopbackPort();
    const printed = vi.mocked(console.error);
    printed.mockClear();
    const started = process.hrtime.bigint();
    const code = await runCommand([], { reporter: ['pretty'], sut: `http://127.0.0.1:${port}` }, root);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(code).toBe(2);
    expect(printed.mock.calls.map((call) => String(call[0]).replace(/\u001b\[[0-9;]*m/g, ''))).toEqual([
      `no billing service answers at http://127.0.0.1:${port}: connection refused`,
    ]);
    expect(seconds).toBeLessThan(2);
  });

  it('refuses a --sut without a scheme, and --sut with --sut-cmd, in one line each', async () => {
    await expect(sutSource({ sut: 'localhost:5150' }, root)).rejects.toThrow(
      "--sut localhost:5150: a service's URL needs its scheme, e.g. --sut http://localhost:5150",
    );
    await expect(sutSource({ sut: 'http://x', sutCmd: 'node s.js' }, root)).rejects.toThrow(UsageError);
    await expect(sutSource({ sut: 'no/such/module.ts' }, root)).rejects.toThrow(/no such module/);
  });
});
