import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { int, oneOf, text } from '../params.ts';
import { requireTaxRates } from '../resources/tax-rates.ts';
import { discountsParam, resolveDiscounts } from './discounts.ts';
import { embeddedList } from './invoice-objects.ts';
import { renewSubscription, scheduleRenewal } from './subscription-cycle.ts';
import { withPeriod } from './subscription-objects.ts';
import { scheduleTrialWillEnd } from './trials.ts';
import { customerOf } from '../customer-of.ts';

/** Subscription params beyond items and collection: discounts, tax rates, trial settings. */
export const subscriptionExtras = {
  discounts: discountsParam.optional(),
  // Legacy discount params (API versions before clover).
  coupon: text().optional(),
  promotion_code: text().optional(),
  default_tax_rates: z.union([z.literal(''), z.array(text())]).optional(),
  trial_settings: z
    .strictObject({
      end_behavior: z.strictObject({
        missing_payment_method: oneOf('missing_payment_method', ['cancel', 'create_invoice', 'pause']),
      }),
    })
    .optional(),
  trial_end: z.union([z.literal('now'), int({ min: 0 })]).optional(),
};

type Extras = { readonly [K in keyof typeof subscriptionExtras]?: z.infer<(typeof subscriptionExtras)[K]> };

function discountsOf(
  context: StripeContext,
  subscription: Stripe.Subscription,
  params: Extras,
): string[] | undefined {
  const entries =
    params.discounts ??
    (params.coupon !== undefined
      ? [{ coupon: params.coupon }]
      : params.promotion_code !== undefined
        ? [{ promotion_code: params.promotion_code }]
        : undefined);
  if (entries === undefined) return undefined;
  return resolveDiscounts(context, entries, {
    customer: customerOf(subscription),
    subscription: subscription.id,
  });
}

/** A new subscription with its discounts, default tax rates, item tax rates and trial settings. */
export function withCreateExtras(
  context: StripeContext,
  subscription: Stripe.Subscription,
  params: Extras & { readonly items: ReadonlyArray<{ readonly tax_rates?: string[] | '' | undefined }> },
): Stripe.Subscription {
  const items = subscription.items.data.map((item, index) => {
    const rates = params.items[index]?.tax_rates;
    return rates
      ? { ...item, tax_rates: requireTaxRates(context, rates, `items[${index}][tax_rates]`) }
      : item;
  });
  return {
    ...subscription,
    items: embeddedList(items, subscription.items.url),
    discounts: discountsOf(context, subscription, params) ?? [],
    default_tax_rates: params.default_tax_rates
      ? requireTaxRates(context, params.default_tax_rates, 'default_tax_rates')
      : [],
    ...trialSettings(params),
  };
}

function trialSettings(params: Extras): Partial<Stripe.Subscription> {
  const behavior = params.trial_settings?.end_behavior.missing_payment_method;
  if (behavior === undefined) return {};
  return {
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: behavior } },
  };
}

/** After a new subscription started: its trial's warning is scheduled. */
export function afterCreate(context: StripeContext, subscription: Stripe.Subscription): void {
  scheduleTrialWillEnd(context, subscription);
}

/**
 * Applies the extras of an update. Returns the changed subscription, and what must run once
 * its `customer.subscription.updated` is out: a trial ended now (`trial_end=now`) bills at once.
 */
export function applyUpdateExtras(
  context: StripeContext,
  subscription: Stripe.Subscription,
  params: Extras,
): { readonly subscription: Stripe.Subscription; readonly after: () => void } {
  const discounts = discountsOf(context, subscription, params);
  let updated: Stripe.Subscription = {
    ...subscription,
    ...(discounts === undefined ? {} : { discounts }),
    ...(params.default_tax_rates === undefined
      ? {}
      : { default_tax_rates: requireTaxRates(context, params.default_tax_rates || [], 'default_tax_rates') }),
    ...trialSettings(params),
  };
  const trialEnd = params.trial_end;
  if (trialEnd === undefined) return { subscription: updated, after: () => undefined };
  if (subscription.status !== 'trialing' && trialEnd === 'now') {
    return { subscription: updated, after: () => undefined };
  }
  const now = context.nowFor(customerOf(subscription));
  const end = trialEnd === 'now' ? now : trialEnd;
  if (end < now) {
    fail({
      kind: 'invalid_request',
      param: 'trial_end',
      message: 'Invalid timestamp: must be in the future.',
    });
  }
  const start = updated.items.data[0]?.current_period_start ?? now;
  updated = {
    ...withPeriod(updated, start, end),
    status: 'trialing',
    trial_end: end,
    billing_cycle_anchor: end,
  };
  const after = () => {
    if (end === now) {
      context.emit('customer.subscription.trial_will_end', updated);
      renewSubscription(context, updated.id, end);
    } else {
      scheduleTrialWillEnd(context, updated);
      scheduleRenewal(context, updated);
    }
  };
  return { subscription: updated, after };
}
