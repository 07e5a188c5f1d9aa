import { VirtualClock } from './clock.ts';
import { IdGenerator } from './ids.ts';
import { Journal } from './journal.ts';
import type { SealedChunks } from './line-log.ts';
import { SeededRandom } from './random.ts';

/** Where a run starts unless told otherwise: a fixed instant, never the wall clock. */
export const defaultStartAtMs = Date.UTC(2026, 0, 1);

/** Options for {@link createSimulation}. */
export interface SimulationOptions {
  readonly seed: number;
  /** Virtual start time, ms since the epoch. Default 2026-01-01T00:00:00Z. */
  readonly startAtMs?: number;
  /** Most journal records kept (a long `serve`); every record is kept when absent. */
  readonly journalRecordsMax?: number;
  /** Most characters of journal lines kept, likewise (the journal's `charactersMax`). */
  readonly journalCharactersMax?: number;
  /** Where the journal's full chunks of lines go once hashed (a long `serve`: a file). */
  readonly journalSealedChunks?: SealedChunks;
}

/** The kernel every fake, transport and scenario of one run shares. */
export interface Simulation {
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly journal: Journal;
  /** A named random stream, e.g. `stream('stripe/ids')`. */
  stream(name: string): SeededRandom;
  /** An id generator over its own named stream, e.g. `idsFor('stripe')`. */
  idsFor(component: string): IdGenerator;
}

/**
 * Creates the kernel of one run: one seed, one virtual clock, one journal.
 *
 * @example
 * const sim = createSimulation({ seed: 42 });
 * const stripeIds = sim.idsFor('stripe');
 * sim.clock.advanceBy(60_000);
 */
export function createSimulation(options: SimulationOptions): Simulation {
  const clock = new VirtualClock(options.startAtMs ?? defaultStartAtMs);
  const random = SeededRandom.fromSeed(options.seed);
  const journal = new Journal(() => clock.nowMs(), {
    ...(options.journalRecordsMax === undefined ? {} : { recordsMax: options.journalRecordsMax }),
    ...(options.journalCharactersMax === undefined ? {} : { charactersMax: options.journalCharactersMax }),
    ...(options.journalSealedChunks === undefined ? {} : { sealedChunks: options.journalSealedChunks }),
  });
  return {
    seed: options.seed,
    clock,
    random,
    journal,
    stream: (name) => random.fork(name),
    idsFor: (component) => new IdGenerator(random.fork(`${component}/ids`)),
  };
}
