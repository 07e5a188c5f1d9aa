import type { JournalRecord } from '../../sim/journal.ts';
import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext } from '../context.ts';
import { amountText, capitalized, customerText } from '../explain.ts';
import { makeBreak } from './make.ts';

interface MeterTally {
  customerId: string;
  meter: string;
  accepted: number;
  billed: number;
  repeated: Set<string>;
}

/**
 * Usage conservation: per customer and meter, the billed quantity equals the sum of accepted
 * usage events counted once per `eventId` — duplicates are not billed, nothing is dropped.
 */
export function checkUsage(context: ReconcileContext): Break[] {
  const usage = context.input.usage;
  if (usage === undefined) return [];
  const tallies = new Map<string, MeterTally>();
  const tally = (customerId: string, meter: string): MeterTally => {
    const key = `${customerId}\u0000${meter}`;
    let found = tallies.get(key);
    if (found === undefined) {
      found = { customerId, meter, accepted: 0, billed: 0, repeated: new Set() };
      tallies.set(key, found);
    }
    return found;
  };
  const seen = new Set<string>();
  for (const event of usage.accepted) {
    const entry = tally(event.customerId, event.meter);
    const eventKey = `${event.customerId}\u0000${event.meter}\u0000${event.eventId}`;
    if (seen.has(eventKey)) {
      entry.repeated.add(event.eventId);
      continue;
    }
    seen.add(eventKey);
    entry.accepted += event.quantity;
  }
  for (const line of usage.billed) tally(line.customerId, line.meter).billed += line.quantity;
  const breaks: Break[] = [];
  const overOnly = usage.mode === 'no-overbilling';
  for (const entry of tallies.values()) {
    if (overOnly ? entry.billed > entry.accepted : entry.accepted !== entry.billed) {
      breaks.push(usageBreak(context, entry));
    }
  }
  return breaks;
}

/** Journal requests that carried one of the repeated event ids (meter events sent to the PSP). */
function requestsNaming(context: ReconcileContext, eventIds: readonly string[]): JournalRecord[] {
  if (eventIds.length === 0) return [];
  return context.journal.records.filter((record) => {
    if (record.kind !== 'request') return false;
    return eventIds.some((id) => record.data.body.includes(id));
  });
}

function usageBreak(context: ReconcileContext, entry: MeterTally): Break {
  const customer = context.input.customers?.find((c) => c.customerId === entry.customerId);
  const price = customer?.plan.unitPricesMinor[entry.meter];
  const priced = customer !== undefined && price !== undefined;
  const over = entry.billed > entry.accepted;
  const repeated = over ? [...entry.repeated].sort() : [];
  const moneyNote = priced
    ? ` At ${amountText(price, customer.currency)} a unit that is ` +
      `${amountText(Math.abs(entry.billed - entry.accepted) * price, customer.currency)} ` +
      `${over ? 'overbilled' : 'never billed'}.`
    : '';
  return makeBreak(context, {
    kind: 'usage_not_conserved',
    customer: entry.customerId,
    psp: customer?.psp ?? null,
    expected: priced ? moneyOf(entry.accepted * price, customer.currency) : null,
    actual: priced ? moneyOf(entry.billed * price, customer.currency) : null,
    quantities: { meter: entry.meter, expected: entry.accepted, actual: entry.billed, eventIds: repeated },
    records: requestsNaming(context, repeated),
    explanation:
      `${capitalized(customerText(entry.customerId))} had ${entry.accepted} units of ${entry.meter} accepted ` +
      `(counting each event id once) but was billed for ${entry.billed}` +
      (over && repeated.length > 0
        ? `; the repeated events ${repeated.join(', ')} look billed more than once.`
        : over
          ? '.'
          : `; ${entry.accepted - entry.billed} accepted units were dropped.`) +
      moneyNote,
  });
}
