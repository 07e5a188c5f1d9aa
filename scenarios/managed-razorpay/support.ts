import type { ScenarioContext } from 'fakepsp';

/**
 * Fails the run unless the customer's captured Razorpay payments are exactly these amounts,
 * oldest first: the base fee in advance at authentication, then at each cycle's end the next
 * cycle's base fee plus the add-ons of the usage recorded during the one that ended. The ledger
 * books what Razorpay's invoices say, so the scenario states what the plan and the deduplicated
 * usage come to.
 */
export function expectPaid(ctx: ScenarioContext, customerId: string, amounts: readonly number[]): void {
  const paid = ctx.payments.paid(customerId).map((payment) => payment.amount);
  if (paid.join(',') !== amounts.join(',')) {
    throw new Error(
      `${customerId} paid [${paid.join(', ')}] at Razorpay; the plan and the deduplicated usage ` +
        `come to [${amounts.join(', ')}]`,
    );
  }
}

/** A plan of ₹499 a month and 2 paise a token, as an Indian AI product might sell. */
export const proPlan = { baseFeeMinor: 49_900, unitPricesMinor: { tokens: 2 }, interval: 'month' } as const;
