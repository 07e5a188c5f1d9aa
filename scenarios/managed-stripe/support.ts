import type { ScenarioContext } from 'fakepsp';

/**
 * Fails the run unless the customer's succeeded charges are exactly these amounts, oldest first:
 * the base fee in advance at signup, then each period's base fee plus its usage in arrears. The
 * ledger mirrors Stripe's invoices, so the default checker agrees with it even when a repeated
 * usage event reached the meter twice or a price went to Stripe ×100: the scenario states what
 * the plan and the deduplicated usage come to.
 */
export function expectPaid(ctx: ScenarioContext, customerId: string, amounts: readonly number[]): void {
  const paid = ctx.stripe.paidCharges(customerId).map((charge) => charge.amount);
  if (paid.join(',') !== amounts.join(',')) {
    throw new Error(
      `${customerId} was charged [${paid.join(', ')}]; the plan and the deduplicated usage ` +
        `comes to [${amounts.join(', ')}]`,
    );
  }
}

/** The customer's only succeeded charge so far, or an error naming what was found. */
export function onlyCharge(ctx: ScenarioContext, customerId: string) {
  const paid = ctx.stripe.paidCharges(customerId);
  if (paid.length !== 1) throw new Error(`${customerId} has ${paid.length} paid charges, expected 1`);
  return paid[0]!;
}
