import type Stripe from 'stripe';
import type { ScenarioContext } from 'fakepsp';

/**
 * A payout run in the dashboard: everything available leaves the Stripe balance for the bank.
 * A payout moves no customer's money, so the service's ledger must stay reconciled across it;
 * and Stripe's own books must still add up: every balance transaction summed is the balance.
 */
export async function payoutRun(ctx: ScenarioContext): Promise<void> {
  await ctx.step('support pays out the whole available balance', async () => {
    const { balance } = ctx.stripeFixture({
      fixtures: [{ name: 'balance', path: '/v1/balance', method: 'get' }],
    });
    for (const { amount, currency } of (balance as Stripe.Balance).available) {
      if (amount <= 0) continue;
      ctx.stripeFixture({
        fixtures: [
          { name: 'payout', path: '/v1/payouts', params: { amount, currency, description: 'payout run' } },
        ],
      });
    }
  });
  await ctx.step('the payouts arrive', () => ctx.advance('1d'));
  const transactions = ctx.stripe
    .objects<Stripe.BalanceTransaction>('balance_transaction')
    .filter((t) => t.scope === 'platform');
  const payouts = ctx.stripe.objects<Stripe.Payout>('payout');
  if (payouts.length === 0 || payouts.some((payout) => payout.status !== 'paid')) {
    throw new Error(
      `the payout run left payouts ${payouts.map((payout) => payout.status).join(', ') || 'none'}`,
    );
  }
  const { balance } = ctx.stripeFixture({
    fixtures: [{ name: 'balance', path: '/v1/balance', method: 'get' }],
  });
  const books = (balance as Stripe.Balance).available.concat((balance as Stripe.Balance).pending);
  for (const currency of new Set(transactions.map((transaction) => transaction.currency))) {
    const summed = transactions.filter((t) => t.currency === currency).reduce((sum, t) => sum + t.net, 0);
    const shown = books
      .filter((entry) => entry.currency === currency)
      .reduce((sum, entry) => sum + entry.amount, 0);
    if (summed !== shown)
      throw new Error(`Stripe's ${currency} balance shows ${shown}, its transactions sum to ${summed}`);
  }
}
