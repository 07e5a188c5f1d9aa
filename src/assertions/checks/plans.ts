import type { Plan } from '../../sut/contract.ts';
import { periodEndMs } from '../../sut/plan-periods.ts';
import type { Break } from '../breaks.ts';
import { moneyOf } from '../breaks.ts';
import type { ReconcileContext } from '../context.ts';
import { amountText, capitalized, customerText, pspTitle } from '../explain.ts';
import type { MoneyMovement } from '../psp-records.ts';
import { makeBreak } from './make.ts';

/** Most billing periods counted for one customer: a runaway interval is an error, not a hang. */
const periodsMax = 10_000;

/** How many periods began in [since, until]: each may have been billed its base fee (in advance). */
export function periodsStarted(sinceMs: number, untilMs: number, interval: Plan['interval']): number {
  let count = 0;
  for (let startMs = sinceMs; startMs <= untilMs; startMs = periodEndMs(startMs, interval)) {
    if (++count > periodsMax) throw new RangeError(`more than ${periodsMax} billing periods (periodsMax)`);
  }
  return count;
}

interface Allowance {
  readonly periods: number;
  readonly baseMinor: number;
  readonly usageMinor: number;
  readonly topUpsMinor: number;
}

/**
 * What each customer's plan allows them to be charged by the end of the run: a base fee for
 * every period begun, every distinct accepted usage event at its unit price, and the top-ups
 * asked for. Charging more — a zero-decimal amount ×100, a period billed twice — is a break even
 * when the ledger faithfully copies the PSP, because the plan, not the PSP, says what is owed.
 */
export function checkPlans(context: ReconcileContext): Break[] {
  const { plans, customers, usage } = context.input;
  if (plans === undefined || customers === undefined) return [];
  const untilMs = Date.parse(plans.until);
  const breaks: Break[] = [];
  for (const customer of customers) {
    const sinceIso = plans.since[customer.customerId];
    if (sinceIso === undefined) continue;
    const { plan, currency, customerId } = customer;
    const units = new Map<string, number>();
    // The first copy of an event is the event, as usage conservation counts it: a repeat that
    // carries another quantity is the same event, not a correction.
    for (const event of usage?.accepted ?? []) {
      const key = `${event.meter}\u0000${event.eventId}`;
      if (event.customerId === customerId && !units.has(key)) units.set(key, event.quantity);
    }
    let usageMinor = 0;
    for (const [key, quantity] of units)
      usageMinor += quantity * (plan.unitPricesMinor[key.split('\u0000')[0]!] ?? 0);
    const periods = periodsStarted(Date.parse(sinceIso), untilMs, plan.interval);
    const allowance: Allowance = {
      periods,
      baseMinor: periods * plan.baseFeeMinor,
      usageMinor,
      topUpsMinor: plans.topUps
        .filter((topUp) => topUp.customerId === customerId && topUp.currency === currency)
        .reduce((sum, topUp) => sum + topUp.amount, 0),
    };
    const charged = context.movements.filter(
      (movement) =>
        movement.customerId === customerId &&
        movement.currency === currency &&
        (movement.kind === 'capture' || movement.kind === 'refund'),
    );
    const netMinor = charged.reduce(
      (sum, m) => sum + (m.kind === 'capture' ? m.amountMinor : -m.amountMinor),
      0,
    );
    const allowedMinor = allowance.baseMinor + allowance.usageMinor + allowance.topUpsMinor;
    if (netMinor > allowedMinor)
      breaks.push(beyondPlan(context, customerId, currency, charged, netMinor, allowance));
  }
  return breaks;
}

function beyondPlan(
  context: ReconcileContext,
  customerId: string,
  currency: string,
  charged: readonly MoneyMovement[],
  netMinor: number,
  allowance: Allowance,
): Break {
  const captures = charged.filter((movement) => movement.kind === 'capture');
  const psps = [...new Set(captures.map((movement) => movement.psp))];
  const psp = psps.length === 1 ? psps[0]! : null;
  const allowedMinor = allowance.baseMinor + allowance.usageMinor + allowance.topUpsMinor;
  const amounts = captures.map((m) => amountText(m.amountMinor, currency)).join(', ');
  return makeBreak(context, {
    kind: 'billed_beyond_plan',
    customer: customerId,
    psp,
    movements: captures,
    txns: captures.flatMap((movement) => context.matches.get(movement) ?? []),
    expected: moneyOf(allowedMinor, currency),
    actual: moneyOf(netMinor, currency),
    explanation:
      `${capitalized(customerText(customerId))} was charged ${amountText(netMinor, currency)} net at ` +
      `${psps.map(pspTitle).join(' and ')} (${amounts}), but their plan allows at most ` +
      `${amountText(allowedMinor, currency)} by the end of the run: ${allowance.periods} period(s) begun ` +
      `× the base fee = ${amountText(allowance.baseMinor, currency)}, accepted usage ` +
      `${amountText(allowance.usageMinor, currency)}, top-ups asked for ${amountText(allowance.topUpsMinor, currency)}. ` +
      'Money the plan does not owe was taken, however faithfully the ledger records it.',
  });
}
