import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createReferenceBillingSystem, mutantNames, type MutantName } from '../reference/index.ts';
import type { RunSut } from '../scenarios/runner.ts';
import type { SutIdentity } from '../scenarios/run-identity.ts';
import { concurrencyDefault } from '../scenarios/suite.ts';
import { wallClockDeadline } from '../sim/wall-clock.ts';
import { commandSutPool } from '../sut/command-sut.ts';
import type { BillingSystem } from '../sut/contract.ts';
import { withDeadlines } from '../sut/deadlines.ts';
import { connectionProblem, httpBillingSystem, sutTimeoutMsDefault } from '../sut/http-binding.ts';
import { SutStartError } from '../sut/service-process.ts';
import { UsageError } from './usage-error.ts';

/** How `fakepsp run` was told to find the billing system. */
export interface SutSpec {
  /** An HTTP base URL, a module path, or `reference` (the default). */
  readonly sut?: string;
  /** A shell command that starts the service (`{port}` replaced, `PORT` set). */
  readonly sutCmd?: string;
  readonly mutant?: string;
  /** Seconds a started service gets to answer its binding. */
  readonly sutReadyTimeout?: number;
  /** Keep one service process per lane instead of a fresh one per run. */
  readonly sutReuse?: boolean;
  /** Seconds one binding call may take. */
  readonly sutTimeout?: number;
  readonly concurrency?: number;
}

/** Where runs get their billing system, how many may run at once, and how a replay names it. */
export interface SutSource {
  readonly kind: 'reference' | 'module' | 'url' | 'command';
  /** The system for one run in a lane. */
  make(lane: number): Promise<RunSut>;
  /** Most runs at once. */
  readonly lanes: number;
  /** Runs at once until the service declares `concurrentRuns` (a URL service: 1). */
  readonly lanesUntilDeclared?: number;
  /** What names this SUT in a replay command (`--sut-cmd 'node server.js'`). */
  readonly identity: SutIdentity;
  /** Checks the service is there before the first run; a {@link UsageError} when it is not. */
  preflight(): Promise<void>;
  close(): Promise<void>;
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : value * 1000);

/** Reads `--sut`, `--sut-cmd` and `--mutant` into a {@link SutSource}, refusing what cannot work. */
export async function sutSource(
  spec: SutSpec,
  cwd: string,
  serviceEnv: NodeJS.ProcessEnv = {},
): Promise<SutSource> {
  const { sut, sutCmd, mutant } = spec;
  if (sut !== undefined && sutCmd !== undefined) throw new UsageError('give --sut or --sut-cmd, not both');
  if (mutant !== undefined && !mutantNames.includes(mutant as MutantName)) {
    throw new UsageError(`no mutant '${mutant}' (known: ${mutantNames.join(', ')})`);
  }
  if (mutant !== undefined && ((sut !== undefined && sut !== 'reference') || sutCmd !== undefined))
    throw new UsageError(
      '--mutant switches on a bug in the reference service: it cannot go with --sut or --sut-cmd',
    );
  const timeoutMs = seconds(spec.sutTimeout);
  const options = timeoutMs === undefined ? {} : { timeoutMs };
  if (sutCmd !== undefined) {
    if (sutCmd.trim() === '') throw new UsageError('--sut-cmd needs the command that starts your service');
    const readyTimeoutMs = seconds(spec.sutReadyTimeout);
    const pool = commandSutPool({
      command: sutCmd,
      cwd,
      // What the harness suggests (the local CA to trust), unless the user's own environment says otherwise.
      env: { ...serviceEnv, ...process.env },
      reuse: spec.sutReuse === true,
      ...(readyTimeoutMs === undefined ? {} : { readyTimeoutMs }),
      ...(timeoutMs === undefined ? {} : { callTimeoutMs: timeoutMs }),
    });
    return {
      kind: 'command',
      make: (lane) => pool.acquire(lane),
      lanes: spec.concurrency ?? availableParallelism(),
      identity: { kind: 'command', command: sutCmd, reuse: spec.sutReuse === true },
      preflight: async () => {
        try {
          await pool.warmUp();
        } catch (error) {
          throw error instanceof SutStartError ? new UsageError(error.message) : error;
        }
      },
      close: () => pool.close(),
    };
  }
  const lanes = spec.concurrency ?? concurrencyDefault;
  const deadline = timeoutMs ?? sutTimeoutMsDefault;
  if (sut === undefined || sut === 'reference') {
    const made = mutant === undefined ? {} : { mutant: mutant as MutantName };
    const make = async () => withDeadlines(createReferenceBillingSystem(made), deadline);
    return inProcess(make, lanes, { kind: 'reference', ...(mutant === undefined ? {} : { mutant }) });
  }
  if (/^https?:\/\//i.test(sut)) {
    const base = sut.replace(/\/+$/, '');
    return {
      kind: 'url',
      make: async () => httpBillingSystem(base, options),
      lanes,
      lanesUntilDeclared: 1,
      identity: { kind: 'url', url: base },
      preflight: () => answersAt(base),
      close: async () => undefined,
    };
  }
  if (/^[\w.-]+:\d+(\/.*)?$/.test(sut) || /^\[[\da-f:]+\]:\d+/i.test(sut)) {
    throw new UsageError(`--sut ${sut}: a service's URL needs its scheme, e.g. --sut http://${sut}`);
  }
  const make = await moduleFactory(sut, cwd);
  return inProcess(async () => withDeadlines(await make(), deadline), lanes, { kind: 'module', module: sut });
}

function inProcess(
  make: () => Promise<BillingSystem>,
  lanes: number,
  identity: Extract<SutIdentity, { kind: 'reference' | 'module' }>,
): SutSource {
  const { kind } = identity;
  return { kind, make, lanes, identity, preflight: async () => undefined, close: async () => undefined };
}

async function moduleFactory(spec: string, cwd: string): Promise<() => Promise<BillingSystem>> {
  const path = resolve(cwd, spec);
  if (!existsSync(path)) {
    throw new UsageError(
      `--sut ${spec}: no such module; give an http:// URL, a module exporting createBillingSystem(), --sut-cmd, or reference`,
    );
  }
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const make = module.createBillingSystem ?? module.default;
  if (typeof make !== 'function')
    throw new UsageError(`--sut ${spec} exports no createBillingSystem() (nor a default function)`);
  return async () => (await (make as () => BillingSystem | Promise<BillingSystem>)()) as BillingSystem;
}

/** Any HTTP answer at the binding means a service is there; no answer is one clear line. */
async function answersAt(base: string): Promise<void> {
  try {
    const response = await fetch(`${base}/fakepsp/ledger`, { signal: wallClockDeadline(2_000) });
    await response.arrayBuffer();
  } catch (error) {
    const problem =
      (error as { name?: unknown }).name === 'TimeoutError'
        ? 'no answer within 2 s'
        : connectionProblem(error);
    throw new UsageError(`no billing service answers at ${base}: ${problem}`);
  }
}
