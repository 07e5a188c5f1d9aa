// Child processes of the bench: servers that announce `READY {json}` and stay up, and figures
// that run to completion and print `RESULT {json}` last. The load generator never shares a
// process (or, on 2 cores, a core) with what it measures.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** Node flags every child gets: the package resolves to its source, as in the npm scripts. */
const nodeFlags = ['--conditions=fakepsp-source'];

export interface RunningChild<Ready> {
  readonly pid: number;
  readonly ready: Ready;
  /** Resident set size now, and its peak so far (VmHWM), in bytes. */
  rss(): { readonly nowBytes: number; readonly peakBytes: number };
  /** CPU time used and time spent runnable but waiting for a CPU, so far, in ns. */
  schedstat(): Schedstat;
  /** SIGTERM, then waits for the exit (servers exit cleanly, so `--cpu-prof` gets written). */
  stop(): Promise<void>;
}

function spawnTs(script: string, args: readonly string[], extraNodeFlags: readonly string[]): ChildProcess {
  return spawn(process.execPath, [...nodeFlags, ...extraNodeFlags, join(repoRoot, script), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
}

export interface Schedstat {
  readonly cpuNs: number;
  readonly waitNs: number;
}

/**
 * Reads a process's scheduler statistics (Linux): on a machine shared with other work, the wait
 * shows how much of a measurement was contention rather than code.
 */
export function schedstatOf(pid: number): Schedstat {
  const [cpuNs = NaN, waitNs = NaN] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { cpuNs, waitNs };
}

/** Reads a process's resident memory from /proc (Linux), in bytes. */
export function rssOf(pid: number): { nowBytes: number; peakBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { nowBytes: kb('VmRSS') * 1024, peakBytes: kb('VmHWM') * 1024 };
}

/** Starts a long-running child and resolves once it prints `READY {json}`. */
export function startChild<Ready>(
  script: string,
  args: readonly string[] = [],
  extraNodeFlags: readonly string[] = [],
): Promise<RunningChild<Ready>> {
  return whenReady(spawnTs(script, args, extraNodeFlags), script, (stdout) => {
    const line = stdout.split('\n').find((candidate) => candidate.startsWith('READY '));
    return line === undefined ? undefined : (JSON.parse(line.slice('READY '.length)) as Ready);
  });
}

/** Resolves once `readyFrom` finds what the child announces in its output so far. */
export function whenReady<Ready>(
  child: ChildProcess,
  name: string,
  readyFrom: (stdout: string) => Ready | undefined,
): Promise<RunningChild<Ready>> {
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onData = (chunk: string) => {
      stdout += chunk;
      const ready = readyFrom(stdout);
      if (ready === undefined) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        pid: child.pid!,
        ready,
        rss: () => rssOf(child.pid!),
        schedstat: () => schedstatOf(child.pid!),
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr}`)),
    );
  });
}

/** Runs a child to completion; resolves to its `RESULT {json}`, its other output and its peak RSS. */
export function runChild<Result>(
  script: string,
  args: readonly string[] = [],
  extraNodeFlags: readonly string[] = [],
): Promise<{ result: Result; output: string; peakRssBytes: number; wallMs: number }> {
  const started = performance.now();
  const child = spawnTs(script, args, extraNodeFlags);
  let stdout = '';
  let stderr = '';
  let peakRssBytes = 0;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const sampler = setInterval(() => {
    try {
      peakRssBytes = Math.max(peakRssBytes, rssOf(child.pid!).peakBytes);
    } catch {
      // The child has just exited.
    }
  }, 200);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      clearInterval(sampler);
      const wallMs = performance.now() - started;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${script} ${args.join(' ')} failed (exit ${code}):\n${stderr || stdout}`.trim()));
        return;
      }
      const output = stdout.replace(/^RESULT .*\n?/m, '');
      resolve({ result: JSON.parse(line.slice('RESULT '.length)) as Result, output, peakRssBytes, wallMs });
    });
  });
}

/** Prints the result line a figure child hands back to `runChild`. */
export function printResult(result: unknown): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}

/** Announces a server child's readiness to `startChild`, and exits cleanly on SIGTERM. */
export function announceReady(ready: unknown): void {
  process.once('SIGTERM', () => process.exit(0));
  console.log(`READY ${JSON.stringify(ready)}`);
}

/** Runs the project's CLI from source (what `npm start` runs) and times it. */
export function timeCli(
  args: readonly string[],
): Promise<{ wallMs: number; code: number | null; output: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, join(repoRoot, 'src/cli/main.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1', NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ wallMs: performance.now() - started, code, output })),
  );
}
