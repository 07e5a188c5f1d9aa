import { Worker } from 'node:worker_threads';
import type { ScenarioResult } from '../scenarios/runner.ts';
import type { LocalTls } from '../transports/local-tls.ts';
import { sharedTls } from '../transports/scenario-environment.ts';
import type { RunCommandOptions } from './run-options.ts';

/** What a worker thread needs to plan the same runs as the main thread and run its share. */
export interface WorkerSetup {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly options: RunCommandOptions;
  /** This worker runs the planned runs whose position % count === index. */
  readonly index: number;
  readonly count: number;
  readonly lanes: number;
  readonly tls: LocalTls;
}

/** A message from a worker: one finished run, its end, or why it could not run. */
export type WorkerMessage =
  | { readonly kind: 'result'; readonly position: number; readonly result: ScenarioResult }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly message: string };

// The worker is TypeScript when run from source (Node strips types) and JavaScript once built.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './run-worker.ts' : './run-worker.js',
  import.meta.url,
);

/**
 * Runs a suite's planned runs in `count` worker threads, each with its own fakes and SUT and a
 * few async lanes, so scenario runs use every core. Results come back in plan order.
 */
export async function runInWorkers(
  paths: readonly string[],
  cwd: string,
  options: RunCommandOptions,
  plan: { readonly total: number; readonly workers: number; readonly lanes: number },
  onResult: (result: ScenarioResult, done: number, total: number) => void,
): Promise<ScenarioResult[]> {
  const tls = await sharedTls();
  const results = new Array<ScenarioResult>(plan.total);
  let done = 0;
  const one = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const setup: WorkerSetup = { paths, cwd, options, index, count: plan.workers, lanes: plan.lanes, tls };
      const worker = new Worker(workerUrl, { workerData: setup });
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'result') {
          results[message.position] = message.result;
          onResult(message.result, ++done, plan.total);
        } else if (message.kind === 'error') {
          reject(new Error(`worker ${index + 1}: ${message.message}`));
        } else {
          void worker.terminate().then(() => resolve());
        }
      });
      worker.once('error', reject);
    });
  await Promise.all(Array.from({ length: plan.workers }, (_, index) => one(index)));
  return results;
}
