import { fail } from './errors.ts';
import { itemOf } from './items.ts';
import { allowOnly, integerOf, listOptionsOf, notesOf, stringOf } from './params.ts';
import { pageOfTable } from './list-page.ts';
import { renderNotes } from './entities.ts';
import type { RazorpayContext, RazorpayHandler } from './runtime.ts';
import type { PlanEntity, PlanPeriod } from './subscription-entities.ts';

/** The periods a plan bills by (with `interval`: every 2 months is `monthly` × 2). */
export const planPeriods: readonly PlanPeriod[] = ['daily', 'weekly', 'monthly', 'yearly'];

/** A daily plan bills every 7 days at least (the plans API's own rule). */
export const dailyIntervalMin = 7;

/** A cap on `interval`, so a plan cannot bill once a millennium. */
const intervalMax = 120;

/**
 * POST /v1/plans `{period, interval, item:{name, amount, currency, description?}, notes?}`.
 * Anything else (an `offer_id`, say) is refused as Razorpay does: "… is/are not required and
 * should not be sent".
 */
export const createPlan: RazorpayHandler = (context) => {
  const { body, runtime } = context;
  allowOnly(body, ['period', 'interval', 'item', 'notes']);
  const period = stringOf(body, 'period', { required: true })!;
  if (!(planPeriods as readonly string[]).includes(period)) fail({ kind: 'field_invalid', field: 'period' });
  const interval = integerOf(body, 'interval', { required: true })!;
  if (interval < 1) fail({ kind: 'field_at_least', field: 'interval', min: 1 });
  if (interval > intervalMax) fail({ kind: 'field_at_most', field: 'interval', max: intervalMax });
  if (period === 'daily' && interval < dailyIntervalMin)
    fail({ kind: 'plan_interval_too_small', min: dailyIntervalMin });
  const notes = notesOf(body) ?? {};
  const item = itemOf(context, body, 'plan');
  const plan: PlanEntity = {
    id: runtime.ids.razorpay('plan_'),
    entity: 'plan',
    interval,
    period: period as PlanPeriod,
    item,
    notes: renderNotes(notes),
    created_at: context.nowSeconds,
  };
  runtime.store.plans.set(plan.id, plan);
  return plan;
};

/** The plan with an id, or Razorpay's 400 "The id provided does not exist". */
export function planOf(context: RazorpayContext, id: string | undefined): PlanEntity {
  const plan = id === undefined ? undefined : context.runtime.store.plans.get(id);
  return plan ?? fail({ kind: 'id_not_found' });
}

/** GET /v1/plans/:id */
export const fetchPlan: RazorpayHandler = (context, path) => planOf(context, path.id);

/** GET /v1/plans — count/skip/from/to. */
export const listPlans: RazorpayHandler = (context) =>
  pageOfTable(
    context.runtime.store.plans,
    { entity: (plan) => plan, createdAt: (plan) => plan.created_at },
    listOptionsOf(context.query),
  );
