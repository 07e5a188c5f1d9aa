import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runThenReplay } from '../support/cli.ts';

// A copy of the example service with one deliberate bug (repeated usage events billed again),
// switched on by an environment variable in the --sut-cmd itself: the replay must carry it.
const workspace = join(repoRoot, '.fakepsp', 'replay-sut-cmd');
const service = join(workspace, 'service');
const command = `EXAMPLE_BUG=usage-dedupe ${JSON.stringify(process.execPath)} ${join(service, 'server.js')}`;
const correct = 'if (!customer.usage.has(eventId)) customer.usage.set(eventId, { meter, quantity, atMs });';
const buggy = [
  "const key = process.env.EXAMPLE_BUG === 'usage-dedupe' ? `${eventId}#${customer.usage.size}` : eventId;",
  'if (!customer.usage.has(key)) customer.usage.set(key, { meter, quantity, atMs });',
].join('\n  ');

beforeAll(async () => {
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  await cp(join(repoRoot, 'examples', 'express-billing-service'), service, { recursive: true });
  const customers = await readFile(join(service, 'customers.js'), 'utf8');
  expect(customers).toContain(correct);
  await writeFile(join(service, 'customers.js'), customers.replace(correct, buggy));
});

describe('a failure against a service started with --sut-cmd', () => {
  it('prints a replay line that fails again, against the same service, when run', async () => {
    const out = join(workspace, 'report');
    const { code, failed, words, again } = await runThenReplay(
      out,
      'scenarios/byo-stripe/usage.scenario.ts',
      '--sut-cmd',
      command,
    );
    expect(code).toBe(1);
    expect(failed?.replay).toContain(`--sut-cmd '${command}'`);
    // The words of the printed command, as a shell would split them.
    expect(words.slice(0, 3)).toEqual(['npx', 'fakepsp', 'run']);
    expect(again?.code).toBe(1);
    expect(again?.text).toContain(`✗ ${failed!.scenario}`);
    expect(again?.text).toContain('0 passed, 1 failed');
  }, 120_000);
});
