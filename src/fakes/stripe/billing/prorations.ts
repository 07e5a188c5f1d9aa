import type Stripe from 'stripe';
import { proportionalShare } from '../../../sim/money.ts';
import type { StripeContext } from '../context.ts';
import { customerOf } from '../customer-of.ts';
import { fail } from '../errors.ts';
import { invoiceItemObject } from './invoice-item-object.ts';
import { embeddedList, pricingOf, productName, withLines } from './invoice-objects.ts';
import { priceAmount } from './price-amount.ts';
import { priceLines } from './invoice-pricing.ts';
import { pausedDraft, settlePaused } from './pause-collection.ts';
import { sweepPendingItems } from './pending-items.ts';
import { chargeInvoice } from './collection.ts';
import { finalizeInvoice } from './finalize.ts';
import { subscriptionDraft, subscriptionLines, type LinePlan } from './subscription-cycle.ts';
import { currentPeriod, isMeteredPrice } from './subscription-objects.ts';

/** What an update asks of prorations (`proration_behavior`); Stripe's default creates them. */
export type ProrationBehavior = 'always_invoice' | 'create_prorations' | 'none';

const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** `15 Feb 2017`, as Stripe dates a proration's description. */
function dayOf(seconds: number): string {
  const date = new Date(seconds * 1000);
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** What a licensed item bills for a full period (per unit or tiered); metered usage is not prorated. */
function billed(
  context: StripeContext,
  item: Stripe.SubscriptionItem,
): { readonly amount: number; readonly quantity: number } | undefined {
  if (isMeteredPrice(item.price)) return undefined;
  const quantity = item.quantity ?? 1;
  return { amount: priceAmount(context, item.price, quantity), quantity };
}

const sameBilling = (a: Stripe.SubscriptionItem | undefined, b: Stripe.SubscriptionItem | undefined) =>
  a !== undefined && b !== undefined && a.price.id === b.price.id && (a.quantity ?? 1) === (b.quantity ?? 1);

/**
 * The invoice items Stripe's `create_prorations` makes for an update's item changes, pending
 * until the subscription's next invoice sweeps them in: for each licensed item that changed price or
 * quantity, or went, a credit for the unused rest of the period; for each that changed or came, a
 * charge for that rest at the new price. Amounts are `amount for the quantity × rest ÷ period`, rounded
 * half away from zero, to the second. Metered prices are not prorated, and nothing is while a
 * trial runs or the period has ended.
 */
export function prorateItemChanges(
  context: StripeContext,
  before: Stripe.Subscription,
  after: Stripe.Subscription,
  asked: {
    readonly behavior?: ProrationBehavior | undefined;
    readonly date?: number | undefined;
    /** The period prorated, when `before` has no items to read it from. */
    readonly period?: { readonly start: number; readonly end: number };
  },
): Stripe.InvoiceItem[] {
  if (asked.behavior === 'none' || (before.status !== 'active' && before.status !== 'past_due')) return [];
  const customerId = customerOf(before);
  const period = asked.period ?? currentPeriod(before);
  // `proration_date`: prorated as though the change was made then (a preview's figures, say).
  const now = asked.date ?? context.nowFor(customerId);
  if (asked.date !== undefined && (asked.date < period.start || asked.date > period.end))
    fail({
      kind: 'invalid_request',
      param: 'proration_date',
      message: `proration_date must be within the subscription's current period (${period.start} to ${period.end}).`,
    });
  if (now >= period.end || period.end <= period.start) return [];
  const customer = context.tx.get<Stripe.Customer>('customer', customerId)!;
  const share = (amount: number) => proportionalShare(amount, period.end - now, period.end - period.start);
  const made: Stripe.InvoiceItem[] = [];
  const prorate = (item: Stripe.SubscriptionItem, sign: 1 | -1) => {
    const bill = billed(context, item);
    if (bill === undefined) return;
    const what = `${bill.quantity === 1 ? '' : `${bill.quantity} × `}${productName(context, item.price)}`;
    const amount = share(sign * bill.amount);
    const fields = {
      id: context.ids.stripe('ii_'),
      customer,
      date: now,
      amount,
      currency: item.price.currency,
      quantity: bill.quantity,
      pricing: pricingOf(item.price),
      description: `${sign < 0 ? 'Unused' : 'Remaining'} time on ${what} after ${dayOf(now)}`,
      discountable: false,
      discounts: [],
      invoice: null,
      metadata: {},
      subscription: { id: before.id, item: item.id },
      period: { start: now, end: period.end },
      proration: true,
      taxRates: [],
    };
    const invoiceItem = context.tx.put(invoiceItemObject(fields));
    context.emit('invoiceitem.created', invoiceItem);
    made.push(invoiceItem);
  };
  const beforeById = new Map(before.items.data.map((item) => [item.id, item]));
  const afterById = new Map(after.items.data.map((item) => [item.id, item]));
  for (const item of before.items.data) if (!sameBilling(item, afterById.get(item.id))) prorate(item, -1);
  for (const item of after.items.data) if (!sameBilling(beforeById.get(item.id), item)) prorate(item, 1);
  return made;
}

const withoutItems = (subscription: Stripe.Subscription): Stripe.Subscription => ({
  ...subscription,
  items: embeddedList<Stripe.SubscriptionItem>([], subscription.items.url),
});

/**
 * Each licensed item's unused rest of the period, from now or `date`, credited: a cancellation
 * with `prorate`, a `cancel_at` inside the period, a new billing cycle.
 */
export function creditUnusedRest(
  context: StripeContext,
  subscription: Stripe.Subscription,
  asked: { readonly behavior?: ProrationBehavior | undefined; readonly date?: number | undefined },
): Stripe.InvoiceItem[] {
  return prorateItemChanges(context, subscription, withoutItems(subscription), asked);
}

/** The same rest from `date` charged back: a credited `cancel_at` taken back. */
export function chargeBackRest(
  context: StripeContext,
  subscription: Stripe.Subscription,
  asked: { readonly behavior?: ProrationBehavior | undefined; readonly date: number },
): Stripe.InvoiceItem[] {
  const period = currentPeriod(subscription);
  return prorateItemChanges(context, withoutItems(subscription), subscription, { ...asked, period });
}

/**
 * An update invoiced at once — a `subscription_update` invoice, finalized and (collecting
 * automatically) charged on the spot: the prorations just made (`always_invoice`), and with
 * `plan` the subscription's own lines too (a new billing cycle started now).
 */
export function invoiceUpdateNow(
  context: StripeContext,
  subscription: Stripe.Subscription,
  plan: LinePlan | null,
): Stripe.Invoice {
  const now = context.nowFor(customerOf(subscription));
  const draft = subscriptionDraft(context, subscription, 'subscription_update', { start: now, end: now });
  const lines = [
    ...(plan === null ? [] : subscriptionLines(context, subscription, draft.id, plan)),
    ...sweepPendingItems(context, draft, subscription.id),
  ];
  const invoice = pausedDraft(subscription, withLines(draft, priceLines(context, draft, lines)));
  context.tx.put(invoice);
  context.emit('invoice.created', invoice);
  const current = context.tx.get<Stripe.Subscription>('subscription', subscription.id) ?? subscription;
  context.tx.put({ ...current, latest_invoice: invoice.id });
  if (settlePaused(context, subscription, invoice))
    return context.tx.get<Stripe.Invoice>('invoice', invoice.id) ?? invoice;
  const finalized = finalizeInvoice(context, invoice);
  if (finalized.status !== 'open' || finalized.collection_method !== 'charge_automatically') return finalized;
  chargeInvoice(context, finalized, { automatic: true });
  return context.tx.get<Stripe.Invoice>('invoice', finalized.id) ?? finalized;
}
