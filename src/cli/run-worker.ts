import { parentPort, workerData } from 'node:worker_threads';
import { reconcileRun } from '../scenarios/check.ts';
import { parseShard, planRuns, runSuite } from '../scenarios/suite.ts';
import { loopbackEnvironment, useSharedTls } from '../transports/scenario-environment.ts';
import { loadScenarioFiles } from './load-scenarios.ts';
import { selectEntries } from './run.ts';
import { sutSource } from './sut-source.ts';
import type { WorkerMessage, WorkerSetup } from './worker-pool.ts';

// One worker thread of `fakepsp run`: it plans exactly the runs the main thread planned and runs
// its share (every count-th position), posting each result as it lands.
const setup = workerData as WorkerSetup;
const post = (message: WorkerMessage) => parentPort?.postMessage(message);

try {
  useSharedTls(setup.tls);
  const { options } = setup;
  // Files that do not load are the main thread's to report.
  const entries = selectEntries((await loadScenarioFiles(setup.paths, setup.cwd)).entries, options);
  const planned = planRuns(entries, options.shard === undefined ? undefined : parseShard(options.shard));
  const positions = planned
    .map((_, position) => position)
    .filter((position) => position % setup.count === setup.index);
  const mine = positions.map((position) => planned[position]!);
  const source = await sutSource(options, setup.cwd);
  await runSuite(mine, {
    sut: (lane) => source.make(lane),
    sutIdentity: source.identity,
    environment: loopbackEnvironment,
    check: reconcileRun,
    concurrency: setup.lanes,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    onResult: (result) => {
      const position =
        positions[
          mine.findIndex((run) => run.entry.scenario.name === result.scenario && run.psp === result.psp)
        ]!;
      post({ kind: 'result', position, result });
    },
  });
  post({ kind: 'done' });
} catch (error) {
  post({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
}
