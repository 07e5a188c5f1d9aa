import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeVersionNeeded, nodeVersionProblem } from '../../bin/node-version.js';

const root = join(import.meta.dirname, '..', '..');
// The machines' own Node (20), which npm only warns about when the package is installed.
const olderNode = ['/usr/bin/node', '/usr/local/bin/node']
  .filter((path) => existsSync(path))
  .find(
    (path) =>
      nodeVersionProblem(execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().slice(1)) !==
      undefined,
  );

describe('the Node.js version check', () => {
  it('names the version needed and the one found', () => {
    expect(nodeVersionProblem('20.20.2')).toContain(
      `fakepsp needs Node.js ${nodeVersionNeeded} or newer; this is Node.js 20.20.2`,
    );
    expect(nodeVersionProblem('22.11.0')).toBeDefined();
    expect(nodeVersionProblem('22.12.0')).toBeUndefined();
    expect(nodeVersionProblem('24.21.0')).toBeUndefined();
    expect(nodeVersionProblem(process.versions.node)).toBeUndefined();
  });

  it('agrees with package.json engines', async () => {
    const { engines } = (await import('../../package.json', { with: { type: 'json' } })).default as {
      engines: { node: string };
    };
    expect(engines.node).toBe(`>=${nodeVersionNeeded.replace(/\.0$/, '')}`);
  });

  it.runIf(olderNode !== undefined)(
    'stops the CLI on an older Node with that one line and exit code 2',
    async () => {
      const failed = await promisify(execFile)(olderNode!, ['bin/fakepsp.js', '--help'], { cwd: root }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(2);
      expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
      expect(failed?.stderr).toContain(`fakepsp needs Node.js ${nodeVersionNeeded} or newer`);
    },
  );
});
