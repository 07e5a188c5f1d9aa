import type Stripe from 'stripe';
import type { ScenarioContext } from 'fakepsp';

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
