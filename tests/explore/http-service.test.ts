import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExplore } from '../../src/cli/explore.ts';
import { root, runWrittenFile, workspace } from './support.ts';

// A billing service in its own process, started by explore with --sut-cmd: a copy of the example
// service with one deliberate bug, switched on by an environment variable that only this test's
// copy reads. The example itself stays correct.
const service = join(workspace, 'example-service');
const findings = join(workspace, 'example-findings');
const command = `EXAMPLE_BUG=usage-dedupe ${JSON.stringify(process.execPath)} server.js`;

const correct = 'if (!customer.usage.has(eventId)) customer.usage.set(eventId, { meter, quantity, atMs });';
const buggy = [
  '// Test copy only: EXAMPLE_BUG=usage-dedupe keeps every copy of a repeated event, so repeats are billed.',
  "const key = process.env.EXAMPLE_BUG === 'usage-dedupe' ? `${eventId}#${customer.usage.size}` : eventId;",
  'if (!customer.usage.has(key)) customer.usage.set(key, { meter, quantity, atMs });',
].join('\n  ');

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  await rm(service, { recursive: true, force: true });
  await rm(findings, { recursive: true, force: true });
  await mkdir(service, { recursive: true });
  await cp(join(root, 'examples', 'express-billing-service'), service, { recursive: true });
  const customers = await readFile(join(service, 'customers.js'), 'utf8');
  expect(customers).toContain(correct);
  await writeFile(join(service, 'customers.js'), customers.replace(correct, buggy));
});
afterAll(() => vi.restoreAllMocks());

describe('explore against a service started with --sut-cmd', () => {
  it('finds the seeded bug of a copy of the example service, and the written file replays it', async () => {
    const outcome = await runExplore(
      {
        sutCmd: command,
        pattern: 'byo-stripe',
        psp: 'stripe',
        seed: 4,
        time: '60s',
        shrinkRuns: 4,
        out: relative(service, findings),
        quiet: true,
      },
      service,
    );
    const finding = outcome.report.finding;
    expect(finding, `no finding in ${outcome.report.runs} runs`).toBeDefined();
    expect(finding!.kinds.some((kind) => ['usage_not_conserved', 'billed_beyond_plan'].includes(kind))).toBe(
      true,
    );
    const source = await readFile(join(service, outcome.file!), 'utf8');
    expect(source).toContain(`// Run it:        npx fakepsp run ${outcome.file} --sut-cmd '${command}'`);
    const replay = await runWrittenFile(
      outcome.file!,
      { sutCmd: command },
      service,
      join(workspace, 'example-report'),
    );
    expect(replay.code).toBe(1);
    expect(replay.kinds.filter((kind) => finding!.kinds.includes(kind))).not.toEqual([]);
    // The same file against the correct service passes: the break is the bug's, not the harness's.
    const correctService = `${JSON.stringify(process.execPath)} server.js`;
    const clean = await runWrittenFile(
      outcome.file!,
      { sutCmd: correctService },
      service,
      join(workspace, 'example-clean'),
    );
    expect(clean.status).toBe('passed');
  }, 120_000);
});
