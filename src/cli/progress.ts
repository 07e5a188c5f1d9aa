import { SingleBar } from 'cli-progress';
import type { ScenarioResult } from '../scenarios/runner.ts';
import { progressLine } from '../scenarios/reporters/pretty.ts';

/** Reports each finished run of a suite; `stop` once the suite is done. */
export interface Progress {
  onResult(result: ScenarioResult, done: number, total: number): void;
  stop(): void;
}

/**
 * How `fakepsp run` shows a suite going: on a terminal, one live bar (runs done, failures so
 * far, time left) with each failing run printed above it; in CI logs, where a redrawn bar is
 * noise, one line per run.
 */
export function createProgress(options: {
  readonly quiet: boolean;
  readonly stream?: NodeJS.WriteStream;
}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { onResult: () => undefined, stop: () => undefined };
  if (stream.isTTY !== true) {
    return {
      onResult: (result, done, total) => stream.write(`${progressLine(result, done, total)}\n`),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    stream,
    format: ' {bar} {value}/{total} runs · {failed} failing · {eta_formatted} left · {last}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let failed = 0;
  let started = false;
  return {
    onResult(result, done, total) {
      if (!started) {
        bar.start(total, 0, { failed, last: '' });
        started = true;
      }
      if (result.status === 'failed' || result.status === 'errored') {
        failed++;
        // Printed above the bar, which redraws below it.
        bar.stop();
        stream.write(`${progressLine(result, done, total)}\n`);
        bar.start(total, done - 1, { failed, last: '' });
      }
      bar.update(done, { failed, last: `${result.pattern} · ${result.psp}` });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
