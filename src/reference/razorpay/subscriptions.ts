import type { Plans } from 'razorpay/dist/types/plans.d.ts';
import type { Subscriptions } from 'razorpay/dist/types/subscriptions.d.ts';
import type { Plan } from '../../sut/contract.ts';
import { InputError, type CustomerRecord, type Runtime } from '../context.ts';
import { pspAmount } from '../money.ts';
import { razorpayOf, statusOf } from './payments.ts';

/** How a plan's interval is a Razorpay period (a daily plan must bill every 7 days at least). */
const periods: Readonly<Record<Plan['interval'], Plans.RazorpayPlanBaseRequestBody['period'] | undefined>> = {
  day: undefined,
  week: 'weekly',
  month: 'monthly',
  year: 'yearly',
};

/** Cycles a subscription is made for: ten years of them. */
const cyclesFor: Readonly<Record<Plan['interval'], number>> = { day: 3650, week: 520, month: 120, year: 10 };

/** How often a call whose outcome is unknown is looked up and asked again. */
export const attemptsMax = 3;

const tag = (customer: CustomerRecord) => ({ fakepsp_customer_id: customer.request.customerId });

// An answer that says nothing about whether Razorpay acted: no status (a lost response), 5xx, 429.
const unknownOutcome = (error: unknown) => {
  const status = statusOf(error);
  return status === undefined || status >= 500 || status === 429;
};

/**
 * Razorpay has no idempotency key outside refunds, so a create whose answer was lost is looked
 * up (`find`) before it is asked again: what it made, if it made it, is used. A lookup that fails
 * too says nothing, so nothing is created again: the lost answer's error stands.
 */
export async function createOnce<T>(
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (!unknownOutcome(error) || attempt >= attemptsMax) throw error;
      const looked = await lookUp(find);
      if (!looked.known) throw error;
      if (looked.made !== undefined) return looked.made;
    }
  }
}

async function lookUp<T>(find: () => Promise<T | undefined>): Promise<{ known: boolean; made?: T }> {
  for (let attempt = 1; attempt <= attemptsMax; attempt++) {
    try {
      const made = await find();
      return made === undefined ? { known: true } : { known: true, made };
    } catch {
      // Asked again: the lookup changes nothing at Razorpay.
    }
  }
  return { known: false };
}

/** The customer's plan at Razorpay: the base fee per interval, in the customer's currency. */
async function planFor(runtime: Runtime, customer: CustomerRecord): Promise<Plans.RazorPayPlans> {
  const { api } = razorpayOf(runtime);
  const { plan, currency, customerId } = customer.request;
  const period = periods[plan.interval];
  if (period === undefined) throw new InputError('Razorpay bills a daily plan every 7 days at least');
  if (plan.baseFeeMinor <= 0) throw new InputError('a Razorpay plan needs a base fee: plans are never free');
  const mine = (found: Plans.RazorPayPlans) =>
    (found.notes as Record<string, unknown> | undefined)?.fakepsp_customer_id === customerId;
  return createOnce(
    () =>
      api.plans.create({
        period,
        interval: 1,
        item: {
          name: `Base fee (${customerId})`,
          amount: pspAmount(runtime, plan.baseFeeMinor, currency),
          currency: currency.toUpperCase(),
        },
        notes: tag(customer),
      }),
    async () => (await api.plans.all({ count: 100 })).items.find(mine),
  );
}

/**
 * Subscribes the customer at Razorpay: a plan for the base fee and a subscription on it that
 * starts with the customer's authentication transaction (Razorpay then bills each cycle in
 * advance, and usage add-ons on the next invoice), tagged with the customer's id.
 */
export async function subscribeAtRazorpay(runtime: Runtime, customer: CustomerRecord): Promise<void> {
  const { api } = razorpayOf(runtime);
  const plan = await planFor(runtime, customer);
  const subscription = await createOnce<Subscriptions.RazorpaySubscription>(
    () =>
      api.subscriptions.create({
        plan_id: plan.id,
        total_count: cyclesFor[customer.request.plan.interval],
        customer_notify: 0,
        notes: tag(customer),
      }),
    async () => (await api.subscriptions.all({ plan_id: plan.id, count: 100 })).items[0],
  );
  customer.razorpaySubscriptionId = subscription.id;
}

/**
 * Bills one usage event through Razorpay: an add-on of the subscription (the meter's unit price ×
 * the event's quantity, its description the event id), which Razorpay puts on the next invoice.
 * An add-on whose answer was lost is found by that description rather than made twice.
 */
export async function reportUsageAddon(
  runtime: Runtime,
  customer: CustomerRecord,
  usage: { readonly id: string; readonly meter: string; readonly quantity: number },
): Promise<void> {
  const { api } = razorpayOf(runtime);
  const { currency, plan } = customer.request;
  const unitPrice = plan.unitPricesMinor[usage.meter] ?? 0;
  const subscriptionId = customer.razorpaySubscriptionId;
  if (unitPrice === 0 || usage.quantity === 0 || subscriptionId === undefined) return;
  const item = {
    name: usage.meter,
    amount: pspAmount(runtime, unitPrice, currency),
    currency: currency.toUpperCase(),
    description: usage.id,
  };
  await createOnce(
    () => api.subscriptions.createAddon(subscriptionId, { item, quantity: usage.quantity }),
    () => findAddon(runtime, subscriptionId, usage.id),
  );
}

// Bounds the look-up of a lost add-on: pages of 100, newest first.
const addonPagesMax = 20;

async function findAddon(runtime: Runtime, subscriptionId: string, usageId: string) {
  const { api } = razorpayOf(runtime);
  for (let page = 0; page < addonPagesMax; page++) {
    const { items } = await api.addons.all({ count: 100, skip: page * 100 });
    const found = items.find(
      (addon) => addon.subscription_id === subscriptionId && addon.item.description === usageId,
    );
    if (found !== undefined || items.length < 100) return found;
  }
  return undefined;
}
