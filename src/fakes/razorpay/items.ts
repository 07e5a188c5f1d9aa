import { fail } from './errors.ts';
import { currencyOf, minimumAmount } from './orders.ts';
import { allowOnly, integerOf, stringOf, type Body } from './params.ts';
import type { RazorpayContext } from './runtime.ts';
import type { ItemEntity } from './subscription-entities.ts';

/** Longest item name and description the fake takes. */
const nameLengthMax = 255;
const descriptionLengthMax = 2048;

/**
 * Reads the `item` of a plan or add-on (`{name, amount, currency, description?}`) and makes the
 * item entity. A plan's amount is at least one unit of its currency ("The amount must be at
 * least INR 1.00"); Razorpay documents no minimum for an add-on, so any positive amount is taken.
 */
export function itemOf(context: RazorpayContext, body: Body, type: ItemEntity['type']): ItemEntity {
  const raw = body.item;
  if (raw === undefined || raw === null) return fail({ kind: 'field_required', field: 'item' });
  if (typeof raw !== 'object' || Array.isArray(raw)) return fail({ kind: 'field_invalid', field: 'item' });
  const item = raw as Body;
  allowOnly(item, ['name', 'amount', 'currency', 'description']);
  const name = stringOf(item, 'name', { required: true, lengthMax: nameLengthMax })!;
  const amount = integerOf(item, 'amount', { required: true })!;
  const currency = currencyOf(item);
  if (amount < (type === 'plan' ? minimumAmount(currency) : 1)) fail({ kind: 'amount_too_small', currency });
  const description = stringOf(item, 'description', { lengthMax: descriptionLengthMax }) ?? null;
  return {
    id: context.runtime.ids.razorpay('item_'),
    active: true,
    name,
    description,
    amount,
    unit_amount: amount,
    currency,
    type,
    unit: null,
    tax_inclusive: false,
    hsn_code: null,
    sac_code: null,
    tax_rate: null,
    tax_id: null,
    tax_group_id: null,
    created_at: context.nowSeconds,
    updated_at: context.nowSeconds,
  };
}
