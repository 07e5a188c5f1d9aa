import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const workspace = join(root, '.fakepsp', 'readme-example');

// The README's custom scenario, copied out of the README and run exactly as it says: a user
// who pastes it gets this result.
beforeAll(async () => {
  await run('npm', ['run', '-s', 'build'], { cwd: root });
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('// my-scenarios/duplicate-usage.scenario.ts');
  expect(start).toBeGreaterThan(0);
  await rm(workspace, { recursive: true, force: true });
  await mkdir(join(workspace, 'my-scenarios'), { recursive: true });
  await writeFile(
    join(workspace, 'my-scenarios', 'duplicate-usage.scenario.ts'),
    readme.slice(start, readme.indexOf('```', start)),
  );
}, 120_000);

describe('the README custom scenario', () => {
  it('runs with the README command and reconciles against the reference service', async () => {
    const command = 'npx fakepsp run my-scenarios/duplicate-usage.scenario.ts';
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(command);
    const [program, ...args] = command.split(' ');
    const { stdout } = await run(program!, args, { cwd: workspace, env: { ...process.env, NO_COLOR: '1' } });
    expect(stdout).toContain('1 passed, 0 failed, 0 skipped (1 runs)');
  }, 120_000);
});
