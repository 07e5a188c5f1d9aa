import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { callEndpoint } from '../internal-call.ts';
import { int, mergeMetadata, metadata, text } from '../params.ts';
import { requirePrice } from '../resources/prices.ts';
import { invoiceItemObject } from './invoice-item-object.ts';
import { pricingOf } from './invoice-objects.ts';
import { priceAmount } from './price-amount.ts';

/** `add_invoice_items` on a subscription: one-time charges (a setup fee) on its next invoice. */
export const addInvoiceItemsParam = z
  .array(
    z.strictObject({
      price: text().optional(),
      price_data: z
        .strictObject({
          currency: text(),
          product: text(),
          unit_amount: int({ min: 0 }).optional(),
          unit_amount_decimal: z
            .string()
            .regex(/^\d+(\.\d+)?$/)
            .optional(),
        })
        .optional(),
      quantity: int({ min: 0 }).optional(),
      metadata: metadata.optional(),
    }),
  )
  .max(20);

// A one-time price, named or made from `price_data`.
function oneTimePrice(
  context: StripeContext,
  entry: z.infer<typeof addInvoiceItemsParam>[number],
  param: string,
): Stripe.Price {
  if ((entry.price === undefined) === (entry.price_data === undefined))
    fail({ kind: 'invalid_request', param, message: 'You must specify either `price` or `price_data`.' });
  const price =
    entry.price !== undefined
      ? requirePrice(context, entry.price, `${param}[price]`)
      : callEndpoint<Stripe.Price>(context, 'POST', '/v1/prices', { ...entry.price_data });
  if (price.type !== 'one_time') {
    fail({
      kind: 'invalid_request',
      param: `${param}[price]`,
      message:
        'The price specified is set to `type=recurring` but this field only accepts prices with `type=one_time`.',
    });
  }
  return price;
}

/**
 * Makes `add_invoice_items` as pending invoice items of the subscription, each at its price times
 * its quantity: the subscription's next invoice (its first, on creation) sweeps them in.
 */
export function addInvoiceItems(
  context: StripeContext,
  subscription: Stripe.Subscription,
  entries: z.infer<typeof addInvoiceItemsParam> | undefined,
): void {
  (entries ?? []).forEach((entry, index) => {
    const price = oneTimePrice(context, entry, `add_invoice_items[${index}]`);
    const quantity = entry.quantity ?? 1;
    const customer = context.tx.get<Stripe.Customer>('customer', subscription.customer as string)!;
    const now = context.nowFor(customer.id);
    const item = invoiceItemObject({
      id: context.ids.stripe('ii_'),
      customer,
      date: now,
      amount: priceAmount(context, price, quantity),
      currency: price.currency,
      quantity,
      pricing: pricingOf(price),
      description: null,
      discountable: true,
      discounts: [],
      invoice: null,
      metadata: mergeMetadata({}, entry.metadata),
      subscription: { id: subscription.id },
      period: { start: now, end: now },
      proration: false,
      taxRates: [],
    });
    context.tx.put(item);
    context.emit('invoiceitem.created', item);
  });
}
