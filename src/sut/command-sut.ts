import type { BillingSystem } from './contract.ts';
import { httpBillingSystem, SutUnreachableError } from './http-binding.ts';
import { ServiceProcess, SutGoneError } from './service-process.ts';

/** How long a started service gets to answer its binding unless told otherwise (`--sut-ready-timeout`). */
export const sutReadyTimeoutMsDefault = 30_000;

/** Options of {@link commandSutPool}. */
export interface CommandSutOptions {
  /** The shell command that starts the service; `{port}` is replaced, `PORT` is set. */
  readonly command: string;
  readonly cwd: string;
  /** The environment the service starts with (`PORT` is added). */
  readonly env: NodeJS.ProcessEnv;
  readonly readyTimeoutMs?: number;
  /** Keep one process per lane across runs (the service resets on `setup`) instead of a fresh one per run. */
  readonly reuse?: boolean;
  /** Most milliseconds one binding call may take. */
  readonly callTimeoutMs?: number;
}

/** One run's hold on a lane's service: the binding client plus what the runner may ask of the process. */
export type CommandSut = BillingSystem & {
  close(outcome: { readonly used: boolean }): Promise<void>;
  output(): readonly string[];
  gone(): string | undefined;
};

/** Service processes, one per lane, started by the harness from the user's command. */
export interface CommandSutPool {
  /** The service of a lane for one run: a fresh process unless the lane's one is unused or reuse is on. */
  acquire(lane: number): Promise<CommandSut>;
  /** Starts lane 0's service now, so a command that never becomes ready fails before any run. */
  warmUp(): Promise<void>;
  /** Stops every process (and its process group). */
  close(): Promise<void>;
}

/**
 * Runs the user's own billing service as the SUT: `fakepsp run --sut-cmd "node server.js"`.
 * Each lane has its own process; a run that went past `setup` spends it (unless `reuse`), so
 * the next run of the lane starts on a fresh one.
 *
 * @example
 * const pool = commandSutPool({ command: 'python app.py --port {port}', cwd: process.cwd(), env: process.env });
 * const sut = await pool.acquire(0);
 */
export function commandSutPool(options: CommandSutOptions): CommandSutPool {
  const lanes = new Map<number, ServiceProcess>();
  // Until a run has used a process, a run gets all it printed, its start included.
  const spent = new WeakSet<ServiceProcess>();
  const start = () =>
    ServiceProcess.start({
      command: options.command,
      cwd: options.cwd,
      env: options.env,
      readyTimeoutMs: options.readyTimeoutMs ?? sutReadyTimeoutMsDefault,
    });
  const serviceOf = async (lane: number): Promise<ServiceProcess> => {
    const current = lanes.get(lane);
    if (current !== undefined && current.exit === undefined) return current;
    lanes.delete(lane);
    const started = await start();
    lanes.set(lane, started);
    return started;
  };
  return {
    warmUp: async () => void (await serviceOf(0)),
    acquire: async (lane) => {
      const service = await serviceOf(lane);
      const mark = spent.has(service) ? service.outputMark() : 0;
      const system = httpBillingSystem(service.url, {
        signal: service.signal,
        ...(options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs }),
      });
      return {
        ...whenGone(system, service),
        output: () => service.linesSince(mark),
        gone: () => service.exit,
        close: async ({ used }) => {
          if (used) spent.add(service);
          if (!used || options.reuse === true) return;
          if (lanes.get(lane) === service) lanes.delete(lane);
          await service.stop();
        },
      };
    },
    close: async () => {
      const running = [...lanes.values()];
      lanes.clear();
      await Promise.all(running.map((service) => service.stop()));
    },
  };
}

/** Most milliseconds to wait, after a call found nobody answering, for the process to be seen exiting. */
const exitNoticeMs = 1_000;

/** The system, with "nobody answers" turned into "the service exited" when that is what happened. */
function whenGone(system: BillingSystem, service: ServiceProcess): BillingSystem {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (!(error instanceof SutUnreachableError)) throw error;
        const exit = await service.exitWithin(exitNoticeMs);
        throw exit === undefined ? error : new SutGoneError(`the billing service ${exit}`);
      }
    };
  return {
    setup: guard(system.setup),
    createCustomer: guard(system.createCustomer),
    recordUsage: guard(system.recordUsage),
    topUp: guard(system.topUp),
    refund: guard(system.refund),
    advanceClock: guard(system.advanceClock),
    settle: guard(system.settle),
    ledger: guard(system.ledger),
  };
}
