/**
 * `fakepsp/sim`: the simulation kernel — the virtual clock, seeded named random streams, PSP-shaped
 * ids, the journal and money in integer minor units — for tools built on fakepsp.
 *
 * @example
 * import { createSimulation, money, formatMoney } from 'fakepsp/sim';
 * formatMoney(money(626, 'jpy')); // '¥626'
 */
export { createSimulation, defaultStartAtMs } from '../sim/simulation.ts';
export type { Simulation, SimulationOptions } from '../sim/simulation.ts';
export { VirtualClock, durationMs } from '../sim/clock.ts';
export { SeededRandom } from '../sim/random.ts';
export { IdGenerator } from '../sim/ids.ts';
export { Journal } from '../sim/journal.ts';
export type { JournalRecord, JournalKind, JournalLine, JournalEntry } from '../sim/journal.ts';
export {
  money,
  addMoney,
  subtractMoney,
  multiplyMoney,
  negateMoney,
  compareMoney,
  sumMoney,
  formatMoney,
  parseMajorUnits,
  currency,
  currencyExponent,
} from '../sim/money.ts';
export type { Money, Currency, MinorUnits } from '../sim/money.ts';
