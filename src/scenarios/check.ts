import { reconcile } from '../assertions/reconcile.ts';
import { recordsOfFake } from '../assertions/records/of-fake.ts';
import { customerIdMetadataKey, type PspRecords } from '../assertions/psp-records.ts';
import { linkCustomers } from '../assertions/customer-links.ts';
import type { Break } from '../assertions/breaks.ts';
import type { UsageFacts } from '../assertions/context.ts';
import type { Ledger } from '../sut/contract.ts';
import type { ScenarioFacts } from './context.ts';
import type { CheckInput, Checker, Finding } from './verdict.ts';

/**
 * The scenario runner's default verdict: the SUT's ledger reconciled against what the fakes
 * really did and what the journal recorded (DESIGN.md, "What the checker proves").
 */
export const reconcileRun: Checker = ({ ledger, env, facts, journal }) => {
  const result = reconcile({
    ledger,
    psps: pspRecordsOf(env, facts),
    journal,
    customers: facts.customers,
    usage: usageFacts(ledger, facts),
    plans: {
      since: facts.since,
      until: env.sim.clock.now().toISOString(),
      topUps: facts.topUps,
      billing: billingOf(facts.pattern),
      repricedAtPsp: facts.repricedAtPsp,
    },
  });
  return { ok: result.ok, findings: result.breaks.map(toFinding), breaks: result.breaks };
};

/** How the run's customers are charged, which says how exactly the checker can hold them to it. */
function billingOf(pattern: ScenarioFacts['pattern']): 'plan' | 'wallet' | 'psp-meter' {
  if (pattern === 'embedded-stripe') return 'wallet';
  return pattern === 'managed-stripe' || pattern === 'managed-razorpay' ? 'psp-meter' : 'plan';
}

/** What every fake of the run really did, in the checker's PSP-agnostic shape. */
function pspRecordsOf(env: CheckInput['env'], facts: ScenarioFacts): PspRecords[] {
  return env.fakes.map((fake) => linkCustomers(recordsOfFake(fake), facts.customerLinks));
}

/**
 * Customers the harness created whom no PSP object can be traced to, while the PSP holds
 * customers it cannot trace to anyone: the service gave neither mapping. Said plainly, because
 * every later check that names a customer would otherwise come out empty.
 */
export function customerMappingFindings(env: CheckInput['env'], facts: ScenarioFacts): Finding[] {
  const records = pspRecordsOf(env, facts);
  const known = new Set(
    records.flatMap((entry) => entry.customers.flatMap((customer) => customer.customerId ?? [])),
  );
  return facts.customers
    .filter((customer) => !known.has(customer.customerId))
    .flatMap((customer) => {
      const atPsp = records.find((entry) => entry.psp === customer.psp);
      const untraced = atPsp?.customers.filter((entry) => entry.customerId === null) ?? [];
      if (untraced.length === 0 && (atPsp?.movements.length ?? 0) === 0) return [];
      return [
        {
          kind: 'customer_unmapped',
          message:
            `fakepsp cannot tell which ${customer.psp} customer is ${customer.customerId}` +
            `${untraced.length === 0 ? '' : ` (${customer.psp} holds ${untraced.map((entry) => entry.pspCustomerId).join(', ')}, traced to no one)`}. ` +
            `Either answer POST /fakepsp/customers with {"pspCustomerId": "<the ${customer.psp} customer id>"}, ` +
            `or tag the ${customer.psp} customer with ${tagOf(customer.psp)} = "${customer.customerId}" ` +
            '(docs/sut-http-binding.md, "POST /fakepsp/customers").',
        },
      ];
    });
}

const tagOf = (psp: string) =>
  psp === 'stripe'
    ? `metadata.${customerIdMetadataKey}`
    : psp === 'razorpay'
      ? `notes.${customerIdMetadataKey}`
      : 'shopperReference';

/**
 * Usage the SUT acknowledged (the harness sent it) against usage its ledger says it billed
 * (optional `usage` lines). A run may end inside a billing period, so only billing more than was
 * accepted is a break here.
 */
function usageFacts(ledger: Ledger, facts: ScenarioFacts): UsageFacts {
  const billed = ledger.transactions.flatMap((transaction) =>
    (transaction.usage ?? []).map((line) => ({
      customerId: transaction.customerId,
      meter: line.meter,
      quantity: line.quantity,
    })),
  );
  const accepted = facts.usage.map((event, index) => ({
    customerId: event.customerId,
    meter: event.meter,
    eventId: event.eventId,
    quantity: event.quantity,
    at: event.at,
    recordedAt: facts.usageRecordedAt[index] ?? event.at,
  }));
  return { accepted, billed, mode: 'no-overbilling' };
}

function toFinding(found: Break): Finding {
  return { kind: found.kind, message: found.explanation };
}
