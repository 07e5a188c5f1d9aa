import { renderNotes } from './entities.ts';
import { fail } from './errors.ts';
import { itemOf } from './items.ts';
import { allowOnly, booleanOf, integerOf, listOptionsOf, notesOf, stringOf, type Body } from './params.ts';
import { pageOfTable } from './list-page.ts';
import { planOf } from './plans.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import { scheduleExpiry } from './subscription-cycle.ts';
import type { AddonEntity, PlanEntity, SubscriptionEntity } from './subscription-entities.ts';
import { endOfCycles, totalCountMax } from './subscription-status.ts';
import type { SubscriptionRecord } from './store.ts';

const createFields = [
  'plan_id',
  'total_count',
  'quantity',
  'start_at',
  'expire_by',
  'customer_notify',
  'addons',
  'offer_id',
  'notes',
];

/** Most upfront add-ons one subscription takes. */
const upfrontAddonsMax = 10;

/** The subscription with an id, or Razorpay's 400 "The id provided does not exist". */
export function subscriptionOf(context: RazorpayContext, id: string | undefined): SubscriptionRecord {
  const record = id === undefined ? undefined : context.runtime.store.subscriptions.get(id);
  return record ?? fail({ kind: 'id_not_found' });
}

/** An add-on of a subscription, not yet on any invoice. */
export function newAddon(
  context: RazorpayContext,
  subscriptionId: string,
  body: Body,
  plan: PlanEntity,
): AddonEntity {
  const item = itemOf(context, body, 'addon');
  if (item.currency !== plan.item.currency) fail({ kind: 'addon_currency_mismatch' });
  const quantity = integerOf(body, 'quantity') ?? 1;
  if (quantity < 1) fail({ kind: 'field_at_least', field: 'quantity', min: 1 });
  return {
    id: context.runtime.ids.razorpay('ao_'),
    entity: 'addon',
    item,
    quantity,
    created_at: context.nowSeconds,
    subscription_id: subscriptionId,
    invoice_id: null,
  };
}

/** The upfront amounts of `addons`, charged with the authentication (each `{item}`). */
function upfrontAddons(context: RazorpayContext, id: string, plan: PlanEntity): AddonEntity[] {
  const raw = context.body.addons;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return fail({ kind: 'field_invalid', field: 'addons' });
  if (raw.length > upfrontAddonsMax) fail({ kind: 'field_at_most', field: 'addons', max: upfrontAddonsMax });
  return raw.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
      return fail({ kind: 'field_invalid', field: 'addons' });
    allowOnly(entry as Body, ['item', 'quantity']);
    return newAddon(context, id, entry as Body, plan);
  });
}

/** The offer a subscription names: offers live in the dashboard, and the fake has none yet. */
function offerOf(context: RazorpayContext): string | null {
  const offerId = stringOf(context.body, 'offer_id');
  if (offerId === undefined) return null;
  return context.runtime.store.offers.has(offerId) ? offerId : fail({ kind: 'offer_not_found' });
}

/**
 * POST /v1/subscriptions `{plan_id, total_count, quantity?, start_at?, expire_by?,
 * customer_notify?, addons?, offer_id?, notes?}`: a subscription in `created`, waiting for the
 * customer's authentication transaction (the `authenticate_subscription` action). Without
 * `start_at` it starts with that transaction; with one, billing starts then.
 */
export const createSubscription: RazorpayHandler = (context) => {
  const { body, runtime, nowSeconds } = context;
  allowOnly(body, createFields);
  const plan = planOf(context, stringOf(body, 'plan_id', { required: true }));
  const totalCount = integerOf(body, 'total_count', { required: true })!;
  if (totalCount < 1) fail({ kind: 'field_at_least', field: 'total_count', min: 1 });
  if (totalCount > totalCountMax(plan)) fail({ kind: 'total_count_too_large', max: totalCountMax(plan) });
  const quantity = integerOf(body, 'quantity') ?? 1;
  if (quantity < 1) fail({ kind: 'field_at_least', field: 'quantity', min: 1 });
  const startAt = integerOf(body, 'start_at') ?? null;
  if (startAt !== null && startAt < nowSeconds) fail({ kind: 'start_at_past' });
  const expireBy = integerOf(body, 'expire_by') ?? null;
  if (expireBy !== null && expireBy <= nowSeconds) fail({ kind: 'field_invalid', field: 'expire_by' });
  const customerNotify = booleanOf(body, 'customer_notify') ?? true;
  const notes = notesOf(body) ?? {};
  const offerId = offerOf(context);
  const id = runtime.ids.razorpay('sub_');
  const addons = upfrontAddons(context, id, plan);
  const subscription: SubscriptionEntity = {
    id,
    entity: 'subscription',
    plan_id: plan.id,
    customer_id: null,
    status: 'created',
    current_start: null,
    current_end: null,
    ended_at: null,
    quantity,
    notes: renderNotes(notes),
    charge_at: startAt ?? nowSeconds,
    start_at: startAt,
    end_at: endOfCycles(startAt ?? nowSeconds, totalCount, plan),
    auth_attempts: 0,
    total_count: totalCount,
    paid_count: 0,
    customer_notify: customerNotify,
    created_at: nowSeconds,
    expire_by: expireBy,
    short_url: `https://rzp.io/i/${runtime.random.string(9)}`,
    has_scheduled_changes: false,
    change_scheduled_at: null,
    source: 'api',
    offer_id: offerId,
    remaining_count: totalCount,
    payment_method: null,
  };
  const record: SubscriptionRecord = {
    subscription,
    keyId: context.keyId ?? runtime.keys[0]!.keyId,
    requestId: context.cause.requestId,
    tokenId: null,
    cardNumber: null,
    cancelAtCycleEnd: false,
    scheduledChange: null,
    dueInvoiceId: null,
  };
  runtime.store.subscriptions.set(id, record);
  for (const addon of addons) runtime.store.addons.set(addon.id, addon);
  scheduleExpiry(runtime, record);
  return subscription;
};

/** GET /v1/subscriptions/:id */
export const fetchSubscription: RazorpayHandler = (context, path) =>
  subscriptionOf(context, path.id).subscription;

/** GET /v1/subscriptions — count/skip/from/to, and `plan_id`. */
export const listSubscriptions: RazorpayHandler = (context) => {
  const planId = stringOf(context.query, 'plan_id');
  const listed = {
    entity: (record: SubscriptionRecord) => record.subscription,
    createdAt: (subscription: SubscriptionEntity) => subscription.created_at,
    matches: (subscription: SubscriptionEntity) => planId === undefined || subscription.plan_id === planId,
  };
  return pageOfTable(context.runtime.store.subscriptions, listed, listOptionsOf(context.query));
};
