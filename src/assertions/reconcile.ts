import { sortBreaks, type Break, type BreakKind, type ReconcileResult } from './breaks.ts';
import { checkBalanced } from './checks/balance.ts';
import { checkCash } from './checks/cash.ts';
import { checkDoubleCharges } from './checks/double-charge.ts';
import { checkPostedTransactions } from './checks/matching.ts';
import { checkExactBilling } from './checks/exact-billing.ts';
import { checkPlans } from './checks/plans.ts';
import { checkUnpostedMovements } from './checks/unposted.ts';
import { checkUsage } from './checks/usage.ts';
import { checkWallets } from './checks/wallets.ts';
import { checkWebhookSignatures } from './checks/webhooks.ts';
import { ReconcileContext, type ReconcileInput } from './context.ts';

export type { ReconcileInput, UsageFacts, AcceptedUsage, BilledUsage, PlanFacts } from './context.ts';

/**
 * Reconciles a SUT's ledger against what the PSPs did and what the journal recorded, and names
 * every break with its customer, PSP objects, ledger transactions, amounts, minimal journal
 * witness and a plain-English paragraph. Pure: same input, same result.
 *
 * @example
 * const result = reconcile({
 *   ledger: await sut.ledger(),
 *   psps: [stripeRecords(fake.runtime.store.dump())],
 *   journal: sim.journal,
 * });
 * if (!result.ok) console.log(renderText(result));
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const context = new ReconcileContext(input);
  // Matching runs first: every later family reads its matches and what it already explained.
  const posted = checkPostedTransactions(context);
  context.learnCustomersFromLedger();
  const breaks: Break[] = [
    ...posted,
    ...checkUnpostedMovements(context),
    ...checkBalanced(context),
    ...checkDoubleCharges(context),
    ...checkCash(context),
    ...checkUsage(context),
    ...checkPlans(context),
    ...checkExactBilling(context),
    ...checkWallets(context),
    ...checkWebhookSignatures(context),
  ];
  const sorted = sortBreaks(breaks);
  const breaksByKind: Partial<Record<BreakKind, number>> = {};
  for (const item of sorted) breaksByKind[item.kind] = (breaksByKind[item.kind] ?? 0) + 1;
  return {
    ok: sorted.length === 0,
    breaks: sorted,
    summary: {
      ledgerTransactions: context.txns.length,
      movements: context.movements.length,
      journalRecords: context.journal.records.length,
      breaksByKind,
    },
  };
}
