import type Stripe from 'stripe';
import * as z from 'zod';
import type { StripeContext } from '../context.ts';
import { fail } from '../errors.ts';
import { int, metadata, mergeMetadata, oneOf, text } from '../params.ts';
import { decimal } from './invoice-objects.ts';
import { decimalAmount } from './price-amount.ts';

/** One `lines[]` entry of a credit note: part of an invoice line, or a custom credit. */
export const creditNoteLine = z.strictObject({
  type: oneOf('type', ['custom_line_item', 'invoice_line_item']),
  invoice_line_item: text().optional(),
  amount: int({ min: 0 }).optional(),
  quantity: int({ min: 0 }).optional(),
  unit_amount: int({ min: 0 }).optional(),
  unit_amount_decimal: text().optional(),
  description: text().optional(),
  metadata: metadata.optional(),
  tax_rates: z.union([z.literal(''), z.array(text())]).optional(),
  tax_amounts: z.unknown().optional(),
});

/** What a credit note's lines add up to. */
export interface CreditNoteTotals {
  readonly lines: Stripe.CreditNoteLineItem[];
  readonly subtotal: number;
  readonly discount: number;
  readonly discounts: Stripe.CreditNote.DiscountAmount[];
  readonly taxes: Stripe.CreditNote.TotalTax[];
  readonly total: number;
}

const scaled = (value: number, numerator: number, denominator: number) =>
  denominator === 0 ? 0 : Math.round((value * numerator) / denominator);

function fromInvoiceLine(
  context: StripeContext,
  invoice: Stripe.Invoice,
  entry: z.infer<typeof creditNoteLine>,
  param: string,
): Stripe.CreditNoteLineItem {
  const line = invoice.lines.data.find((candidate) => candidate.id === entry.invoice_line_item);
  if (entry.invoice_line_item === undefined)
    fail({ kind: 'parameter_missing', param: `${param}[invoice_line_item]` });
  if (line === undefined) {
    fail({
      kind: 'resource_missing',
      objectName: 'line item',
      id: entry.invoice_line_item,
      param: `${param}[invoice_line_item]`,
    });
  }
  const quantity = entry.quantity ?? null;
  const unit = line.quantity === null || line.quantity === 0 ? line.amount : line.amount / line.quantity;
  const amount = entry.amount ?? (quantity === null ? line.amount : Math.round(unit * quantity));
  if (amount > line.amount) {
    fail({
      kind: 'invalid_request',
      param: `${param}[amount]`,
      message: `The credit note amount for line ${line.id} cannot exceed the line's amount (${line.amount}).`,
    });
  }
  const discountAmounts = (line.discount_amounts ?? []).map((entry) => ({
    amount: scaled(entry.amount, amount, line.amount),
    discount: entry.discount,
  }));
  return {
    id: context.ids.stripe('cnli_'),
    object: 'credit_note_line_item',
    amount,
    description: entry.description ?? line.description,
    discount_amount: discountAmounts.reduce((sum, entry) => sum + entry.amount, 0),
    discount_amounts: discountAmounts,
    invoice_line_item: line.id,
    livemode: false,
    metadata: mergeMetadata({}, entry.metadata),
    pretax_credit_amounts: [],
    quantity: quantity ?? line.quantity,
    tax_rates: [],
    taxes: (line.taxes ?? []).map((tax) => ({
      ...tax,
      amount: scaled(tax.amount, amount, line.amount),
      taxable_amount: tax.taxable_amount === null ? null : scaled(tax.taxable_amount, amount, line.amount),
    })),
    type: 'invoice_line_item',
    unit_amount: Math.round(unit),
    unit_amount_decimal: decimal(unit),
  };
}

function custom(
  context: StripeContext,
  entry: z.infer<typeof creditNoteLine>,
  param: string,
): Stripe.CreditNoteLineItem {
  const quantity = entry.quantity ?? 1;
  const unitText =
    entry.unit_amount_decimal ?? (entry.unit_amount === undefined ? undefined : String(entry.unit_amount));
  if (unitText === undefined) fail({ kind: 'parameter_missing', param: `${param}[unit_amount]` });
  return {
    id: context.ids.stripe('cnli_'),
    object: 'credit_note_line_item',
    amount: decimalAmount(unitText, quantity),
    description: entry.description ?? null,
    discount_amount: 0,
    discount_amounts: [],
    livemode: false,
    metadata: mergeMetadata({}, entry.metadata),
    pretax_credit_amounts: [],
    quantity,
    tax_rates: [],
    taxes: [],
    type: 'custom_line_item',
    unit_amount: decimalAmount(unitText, 1),
    unit_amount_decimal: decimal(unitText),
  };
}

/**
 * The credit note's lines and totals: each line a share of an invoice line (its discounts and
 * taxes scaled to that share) or a custom amount; a bare `amount` is one custom line.
 */
export function creditNoteTotals(
  context: StripeContext,
  invoice: Stripe.Invoice,
  request: {
    readonly lines?: z.infer<typeof creditNoteLine>[] | undefined;
    readonly amount?: number | undefined;
  },
): CreditNoteTotals {
  const entries = request.lines ?? [];
  if (entries.length === 0 && request.amount === undefined) {
    fail({
      kind: 'invalid_request',
      message: 'One of `amount`, `lines`, or `shipping_cost` must be provided.',
    });
  }
  const lines =
    entries.length > 0
      ? entries.map((entry, index) =>
          entry.type === 'invoice_line_item'
            ? fromInvoiceLine(context, invoice, entry, `lines[${index}]`)
            : custom(context, entry, `lines[${index}]`),
        )
      : [custom(context, { type: 'custom_line_item', unit_amount: request.amount! }, 'amount')];
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discounts = new Map<string, number>();
  for (const entry of lines.flatMap((line) => line.discount_amounts)) {
    const id = typeof entry.discount === 'string' ? entry.discount : entry.discount.id;
    discounts.set(id, (discounts.get(id) ?? 0) + entry.amount);
  }
  const discount = [...discounts.values()].reduce((sum, amount) => sum + amount, 0);
  const taxes = lines.flatMap((line) => line.taxes ?? []);
  const exclusive = taxes
    .filter((tax) => tax.tax_behavior === 'exclusive')
    .reduce((sum, tax) => sum + tax.amount, 0);
  const total = subtotal - discount + exclusive;
  if (request.amount !== undefined && entries.length > 0 && request.amount !== total) {
    fail({
      kind: 'invalid_request',
      param: 'amount',
      message: `The amount (${request.amount}) does not match the total of the lines (${total}).`,
    });
  }
  return {
    lines,
    subtotal,
    discount,
    discounts: [...discounts].map(([id, amount]) => ({ amount, discount: id })),
    taxes,
    total,
  };
}
