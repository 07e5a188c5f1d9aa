// `fakepsp serve` as a user runs it: the installed command (bin/fakepsp.js over the compiled
// dist/, relaunching itself with its V8 flags), not the TypeScript source through Node's type
// stripper, which alone holds ~30 MB more at rest.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchConfig } from './config.ts';
import { repoRoot, whenReady, type RunningChild } from './proc.ts';
import type { PspName } from '../../src/fakes/common/psp-core.ts';

export type Urls = Readonly<Partial<Record<PspName, string>>>;

/** Compiles dist/ from the current source, so the figures measure what is checked out. */
export function buildDist(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
}

// The lines `fakepsp serve` prints for a billing service; the CA line comes last.
const baseLines: ReadonlyArray<readonly [PspName, string]> = [
  ['stripe', 'STRIPE_API_BASE'],
  ['adyen', 'ADYEN_API_BASE'],
  ['razorpay', 'RAZORPAY_API_BASE'],
];

function urlsFrom(stdout: string): Urls | undefined {
  if (!stdout.includes('export NODE_EXTRA_CA_CERTS=')) return undefined;
  const exported = (name: string) => new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(stdout)?.[1];
  return Object.fromEntries(baseLines.map(([psp, name]) => [psp, exported(name)]));
}

/**
 * `fakepsp serve` on free loopback ports, its defaults otherwise (seed 42, manual clock), with
 * `extraArgs` after them.
 */
export function startServe(
  extraNodeFlags: readonly string[] = [],
  extraArgs: readonly string[] = [],
): Promise<RunningChild<{ urls: Urls }>> {
  const args = ['serve', '--stripe-port', '0', '--adyen-port', '0', '--razorpay-port', '0', ...extraArgs];
  const child = spawn(
    process.execPath,
    [...extraNodeFlags, join(repoRoot, 'bin', 'fakepsp.js'), ...args, '--tls-dir', benchConfig.tlsDir],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', NO_COLOR: '1' },
    },
  );
  return whenReady(child, 'fakepsp serve', (stdout) => {
    const urls = urlsFrom(stdout);
    return urls === undefined ? undefined : { urls };
  });
}
