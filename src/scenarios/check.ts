import { reconcile } from '../assertions/reconcile.ts';
import { stripeRecords, type StripeDump } from '../assertions/records/stripe.ts';
import type { Break } from '../assertions/breaks.ts';
import type { Checker, Finding } from './runner.ts';

/**
 * The scenario runner's default verdict: the SUT's ledger reconciled against what the fakes
 * really did and what the journal recorded (DESIGN.md, "What the checker proves").
 */
export const reconcileRun: Checker = ({ ledger, env, facts, journal }) => {
  const result = reconcile({
    ledger,
    psps: [stripeRecords(env.stripe.runtime.store.dump() as unknown as StripeDump)],
    journal,
    customers: facts.customers,
  });
  return { ok: result.ok, findings: result.breaks.map(toFinding), breaks: result.breaks };
};

function toFinding(found: Break): Finding {
  return { kind: found.kind, message: found.explanation };
}
