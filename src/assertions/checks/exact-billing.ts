import type { CreateCustomerRequest } from '../../sut/contract.ts';
import { periodEndMs } from '../../sut/plan-periods.ts';
import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { AcceptedUsage, ReconcileContext } from '../context.ts';
import { amountText, capitalized, customerText, pspTitle } from '../explain.ts';
import type { MoneyMovement } from '../psp-records.ts';
import { makeBreak } from './make.ts';

/**
 * How long after a period closes its charge may still be on its way (Stripe Billing finalizes an
 * invoice an hour after it is created, then collects; webhooks follow): a period that closed
 * more recently may or may not be charged yet, and both answers are right.
 */
export const settleMarginMs = 2 * 3_600_000;

/** Most periods counted for one customer: a runaway interval is an error, not a hang. */
const periodsMax = 10_000;

// What a charge attempt that did not collect looks like at each PSP: such a customer's billing
// is in dunning or was given up, and what they paid says nothing exact about what they owe.
const uncollected = new Set([
  'failed',
  'requires_payment_method',
  'canceled',
  'refused',
  'error',
  'cancelled',
]);
const attemptTypes = new Set(['charge', 'payment_intent', 'payment', 'capture']);

/** One amount a correct biller could have charged by the end of the run. */
interface Candidate {
  readonly periods: number;
  /** `arrears`: base fees of closed periods; `advance`: also the period now open (subscriptions). */
  readonly baseFee: 'arrears' | 'advance';
  readonly baseMinor: number;
  readonly usageMinor: number;
  readonly events: readonly AcceptedUsage[];
}

const totalOf = (candidate: Candidate) => candidate.baseMinor + candidate.usageMinor;

/**
 * Exact billing at period close: what each customer was charged equals, to the minor unit, the
 * base fee of the periods billed plus every distinct accepted usage event of those periods at its
 * unit price. Base fees in arrears or in advance (a subscription) are both billing by the plan;
 * a period that closed within {@link settleMarginMs} of the end may be charged or not yet. Money
 * lost to rounding per event or per invoice — revenue leakage — fails it, as does money taken
 * for usage outside the periods billed. Customers with a wallet (their usage is paid from
 * top-ups), a charge that did not collect (dunning) or billing changed at the PSP by someone other
 * than the service (a dashboard coupon) are left to the other checks.
 */
export function checkExactBilling(context: ReconcileContext): Break[] {
  const { plans, customers } = context.input;
  if (plans === undefined || customers === undefined || plans.billing === 'wallet') return [];
  const untilMs = Date.parse(plans.until);
  const repriced = new Set(
    (plans.repricedAtPsp ?? []).map((entry) => context.customerOfPsp(entry.psp, entry.pspCustomerId)),
  );
  const breaks: Break[] = [];
  for (const customer of customers) {
    const sinceIso = plans.since[customer.customerId];
    if (sinceIso === undefined || plans.topUps.some((topUp) => topUp.customerId === customer.customerId))
      continue;
    if (repriced.has(customer.customerId)) continue;
    if (!collectedEverything(context, customer.customerId)) continue;
    const captures = context.movements.filter(
      (movement) =>
        movement.kind === 'capture' &&
        movement.currency === customer.currency &&
        context.customerOf(movement) === customer.customerId,
    );
    const actual = captures.reduce((sum, movement) => sum + movement.amountMinor, 0);
    const candidates = candidatesFor(context, customer, Date.parse(sinceIso), untilMs);
    // Charged more than any period count allows: billed_beyond_plan's to say, not this check's.
    if (candidates.some((candidate) => totalOf(candidate) === actual)) continue;
    if (candidates.every((candidate) => totalOf(candidate) < actual)) continue;
    breaks.push(mismatch(context, customer, captures, actual, nearest(candidates, actual)));
  }
  return breaks;
}

function collectedEverything(context: ReconcileContext, customerId: string): boolean {
  for (const records of context.input.psps) {
    for (const object of records.objects) {
      if (object.customerId !== customerId || !attemptTypes.has(object.objectType)) continue;
      if (uncollected.has(object.status ?? '')) return false;
    }
    for (const movement of records.movements) {
      if (movement.kind === 'capture_reversal' && context.customerOf(movement) === customerId) return false;
    }
  }
  return true;
}

function candidatesFor(
  context: ReconcileContext,
  customer: CreateCustomerRequest,
  sinceMs: number,
  untilMs: number,
): Candidate[] {
  const { plan } = customer;
  const ends: number[] = [];
  for (
    let endMs = periodEndMs(sinceMs, plan.interval);
    endMs <= untilMs;
    endMs = periodEndMs(endMs, plan.interval)
  ) {
    if (ends.push(endMs) > periodsMax)
      throw new RangeError(`more than ${periodsMax} billing periods (periodsMax)`);
  }
  const settled = ends.filter((endMs) => endMs <= untilMs - settleMarginMs).length;
  const events = firstCopies(context, customer.customerId).filter(
    (event) => context.input.plans?.billing !== 'psp-meter' || reportedWhileOpen(event, sinceMs, ends),
  );
  const candidates: Candidate[] = [];
  for (let periods = settled; periods <= ends.length; periods++) {
    const cutoffMs = periods === 0 ? sinceMs : ends[periods - 1]!;
    // Usage of the periods billed: it happened before the last close and was known by then; usage
    // dated in a billed period but reported after its close may be billed late (a true-up) or not yet.
    const dated = events.filter((event) => Date.parse(event.at ?? '') < cutoffMs);
    const known = dated.filter((event) => Date.parse(event.recordedAt ?? event.at ?? '') < cutoffMs);
    for (const billed of known.length === dated.length ? [known] : [known, dated]) {
      const usageMinor = billed.reduce(
        (sum, event) => sum + event.quantity * (plan.unitPricesMinor[event.meter] ?? 0),
        0,
      );
      for (const baseFee of ['arrears', 'advance'] as const) {
        const baseMinor = plan.baseFeeMinor * (baseFee === 'arrears' ? periods : periods + 1);
        candidates.push({ periods, baseFee, baseMinor, usageMinor, events: billed });
      }
    }
  }
  return candidates;
}

// Whether the event was reported before the period it is dated in closed.
function reportedWhileOpen(event: AcceptedUsage, sinceMs: number, ends: readonly number[]): boolean {
  const atMs = Date.parse(event.at ?? '');
  const closeMs = ends.find((endMs) => endMs > atMs) ?? Number.POSITIVE_INFINITY;
  return atMs >= sinceMs && Date.parse(event.recordedAt ?? event.at ?? '') < closeMs;
}

// The first copy of an event is the event, as usage conservation and billed_beyond_plan count it.
function firstCopies(context: ReconcileContext, customerId: string): AcceptedUsage[] {
  const seen = new Set<string>();
  const events: AcceptedUsage[] = [];
  for (const event of context.input.usage?.accepted ?? []) {
    const key = `${event.meter}\u0000${event.eventId}`;
    if (event.customerId !== customerId || seen.has(key) || event.at === undefined) continue;
    seen.add(key);
    events.push(event);
  }
  return events;
}

function nearest(candidates: readonly Candidate[], actual: number): Candidate {
  return [...candidates].sort(
    (a, b) => Math.abs(totalOf(a) - actual) - Math.abs(totalOf(b) - actual) || b.periods - a.periods,
  )[0]!;
}

function mismatch(
  context: ReconcileContext,
  customer: CreateCustomerRequest,
  captures: readonly MoneyMovement[],
  actual: number,
  owed: Candidate,
): Break {
  const { currency, customerId } = customer;
  const expected = totalOf(owed);
  const psps = [...new Set(captures.map((movement) => movement.psp))];
  const units = owed.events.reduce((sum, event) => sum + event.quantity, 0);
  const direction = actual < expected ? 'less' : 'more';
  return makeBreak(context, {
    kind: 'billing_mismatch',
    customer: customerId,
    psp: psps.length === 1 ? psps[0]! : null,
    movements: captures,
    txns: captures.flatMap((movement) => context.matches.get(movement) ?? []),
    expected: moneyOf(expected, currency),
    actual: moneyOf(actual, currency),
    explanation:
      `${capitalized(customerText(customerId))} was charged ${amountText(actual, currency)}` +
      `${psps.length === 0 ? '' : ` at ${psps.map(pspTitle).join(' and ')}`}, ${amountText(Math.abs(expected - actual), currency)} ` +
      `${direction} than their plan owes for the ${owed.periods} billing period(s) closed by then: ` +
      `${amountText(owed.baseMinor, currency)} of base fees (${owed.baseFee === 'advance' ? 'billed in advance' : 'in arrears'}) ` +
      `plus ${owed.events.length} distinct usage event(s), ${units} unit(s) in all, at the plan's unit prices = ` +
      `${amountText(owed.usageMinor, currency)}; ${amountText(expected, currency)} exactly. ` +
      (direction === 'less'
        ? 'Revenue the plan owes was never charged: look for money computed in floating point or rounded per event.'
        : 'Money was taken for usage or periods the plan does not owe yet.'),
  });
}
