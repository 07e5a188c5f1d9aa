import type { ScenarioContext } from 'fakepsp';

/**
 * Fails the run unless the customer's succeeded charges are exactly these amounts, oldest first.
 * The default checker agrees with any ledger that mirrors the PSP, so a period billed twice or
 * a repeated usage event billed again (both mirrored faithfully) would pass it: the scenario
 * states what one invoice per period, of deduplicated usage, comes to.
 */
export function expectPaid(ctx: ScenarioContext, customerId: string, amounts: readonly number[]): void {
  const paid = ctx.stripe.paidCharges(customerId).map((charge) => charge.amount);
  if (paid.join(',') !== amounts.join(',')) {
    throw new Error(
      `${customerId} was charged [${paid.join(', ')}]; one invoice per period of deduplicated usage ` +
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
