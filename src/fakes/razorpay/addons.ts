import { fail } from './errors.ts';
import { allowOnly, listOptionsOf } from './params.ts';
import { pageOfTable } from './list-page.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import type { AddonEntity } from './subscription-entities.ts';
import { finalStatuses } from './subscription-status.ts';
import { newAddon, subscriptionOf } from './subscriptions.ts';

/**
 * POST /v1/subscriptions/:id/addons `{item:{name, amount, currency, description?}, quantity?}`:
 * an amount billed on the subscription's next invoice (`invoice_id` null until then) — how a
 * Razorpay merchant bills usage. Not on a cancelled, completed or expired subscription.
 */
export const createAddon: RazorpayHandler = (context, path) => {
  const record = subscriptionOf(context, path.id);
  const { subscription } = record;
  allowOnly(context.body, ['item', 'quantity']);
  if (finalStatuses.has(subscription.status))
    fail({ kind: 'addon_not_allowed', status: subscription.status });
  const plan = context.runtime.store.plans.get(subscription.plan_id)!;
  const addon = newAddon(context, subscription.id, context.body, plan);
  context.runtime.store.addons.set(addon.id, addon);
  return addon;
};

/** The add-on with an id, or Razorpay's 400 "The id provided does not exist". */
function addonOf(context: RazorpayContext, id: string | undefined): AddonEntity {
  const addon = id === undefined ? undefined : context.runtime.store.addons.get(id);
  return addon ?? fail({ kind: 'id_not_found' });
}

/** GET /v1/addons/:id */
export const fetchAddon: RazorpayHandler = (context, path) => addonOf(context, path.id);

/** GET /v1/addons — count/skip/from/to, newest first. */
export const listAddons: RazorpayHandler = (context) =>
  pageOfTable(
    context.runtime.store.addons,
    { entity: (addon) => addon, createdAt: (addon) => addon.created_at },
    listOptionsOf(context.query),
  );

/** DELETE /v1/addons/:id → `[]`; an add-on already on an invoice stays. */
export const deleteAddon: RazorpayHandler = (context, path) => {
  const addon = addonOf(context, path.id);
  if (addon.invoice_id !== null) fail({ kind: 'addon_invoiced' });
  context.runtime.store.addons.delete(addon.id);
  return [];
};
