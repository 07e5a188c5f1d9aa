// The load generator: autocannon, in the bench's own process, 10 keep-alive connections.
import autocannon from 'autocannon';
import { benchConfig } from './config.ts';

/** One kind of request, sent over and over. */
export interface Target {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Replace every `[<id>]` in the request with a fresh id per request (autocannon's idReplacement). */
  readonly uniqueIds?: boolean;
  /** Headers made afresh for every request (an SDK's idempotency key). */
  readonly freshHeaders?: () => Readonly<Record<string, string>>;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly seconds: number;
  /** Connection errors and timeouts, and answers that were not 2xx: a row with these is suspect. */
  readonly errors: number;
  readonly non2xx: number;
  readonly latencyP99Ms: number;
}

interface Budget {
  /** Run for this long… */
  readonly seconds?: number;
  /** …or until this many requests have been answered. */
  readonly amount?: number;
  /** Called at every answer. */
  readonly onResponse?: () => void;
}

function optionsOf(target: Target, budget: Budget): autocannon.Options {
  return {
    url: target.url,
    method: target.method,
    headers: { ...target.headers },
    ...(target.body === undefined ? {} : { body: target.body }),
    idReplacement: target.uniqueIds === true,
    ...(target.freshHeaders === undefined
      ? {}
      : {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...target.headers, ...target.freshHeaders!() },
              }),
            },
          ],
        }),
    connections: benchConfig.connections,
    pipelining: 1,
    // autocannon ends a run on its next sample tick: short ticks keep short runs short.
    sampleInt: 100,
    ...(budget.amount === undefined
      ? { duration: budget.seconds ?? benchConfig.httpSeconds }
      : { amount: budget.amount }),
    timeout: 30,
  };
}

/** Sends load at a target for a time (or a number of requests) and reports its throughput. */
export async function load(target: Target, budget: Budget = {}): Promise<LoadResult> {
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(optionsOf(target, budget), (error, done) => {
      clearTimeout(watchdog);
      if (error === null || error === undefined) resolve(done);
      else reject(error as Error);
    });
    if (budget.onResponse !== undefined) instance.on('response', budget.onResponse);
    watchdog = setTimeout(() => instance.stop(), benchConfig.loadSecondsMax * 1000);
  });
  const requests = result['2xx'] + result.non2xx;
  return {
    requestsPerSecond: requests / result.duration,
    requests,
    seconds: result.duration,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    latencyP99Ms: result.latency.p99,
  };
}

/** Unmeasured load, so the server's JIT and caches settle before the measurement. */
export async function warmUp(target: Target): Promise<void> {
  await load(target, { seconds: benchConfig.warmupSeconds });
}
