import type { ScenarioContext } from 'fakepsp';

/**
 * Fails the run unless the customer's wallet debits in the SUT's ledger come to `expectedMinor`.
 * The checker proves no usage is billed twice; this also pins the exact money for the scenario.
 */
export async function expectUsageDebits(
  ctx: ScenarioContext,
  customerId: string,
  expectedMinor: number,
): Promise<void> {
  const { transactions } = await ctx.sut.ledger();
  const debited = transactions
    .filter((transaction) => transaction.kind === 'usage' && transaction.customerId === customerId)
    .flatMap((transaction) => transaction.postings)
    .filter((posting) => posting.account === `customer:${customerId}:wallet`)
    .reduce((sum, posting) => sum + posting.amount, 0);
  if (debited !== expectedMinor) {
    throw new Error(`usage of ${customerId} debited ${debited} from the wallet, expected ${expectedMinor}`);
  }
}

/**
 * Fails the run unless every paid charge of the customer has one of the amounts asked for: a
 * ledger that faithfully copies a ×100 charge reconciles, so only the request says it is wrong.
 */
export function expectChargedAmounts(
  ctx: ScenarioContext,
  customerId: string,
  amounts: readonly number[],
): void {
  for (const charge of ctx.stripe.paidCharges(customerId)) {
    if (!amounts.includes(charge.amount)) {
      throw new Error(
        `${customerId} was charged ${charge.amount} ${charge.currency}; asked for ${amounts.join(' or ')}`,
      );
    }
  }
}
