import type Stripe from 'stripe';
import type { ScenarioContext } from '../../src/scenarios/context.ts';

type ScopedCharge = Stripe.Charge & { readonly scope: string };

/** The customer's paid wallet top-ups (PaymentIntents the service made), oldest first. */
export function topUpCharges(ctx: ScenarioContext, customerId: string): ScopedCharge[] {
  return ctx.stripe.paidCharges(customerId).filter((charge) => isTopUp(ctx, charge));
}

/** The customer's paid subscription (base fee) charges, oldest first. */
export function invoiceCharges(ctx: ScenarioContext, customerId: string): ScopedCharge[] {
  return ctx.stripe.paidCharges(customerId).filter((charge) => !isTopUp(ctx, charge));
}

// A top-up's PaymentIntent carries the service's obligation id; Stripe Billing's do not.
function isTopUp(ctx: ScenarioContext, charge: ScopedCharge): boolean {
  const intentId =
    typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  const intent = ctx.stripe
    .objects<Stripe.PaymentIntent>('payment_intent')
    .find((candidate) => candidate.id === intentId && candidate.scope === charge.scope);
  return String(intent?.metadata?.obligation_id ?? '').startsWith('topup:');
}

/**
 * Fails the run unless the customer's wallet debits in the SUT's ledger come to `expectedMinor`:
 * the default checker is not given usage facts, so a repeated event billed twice would pass it.
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

/** Fails the run unless every paid charge of the customer has one of the amounts asked for. */
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
