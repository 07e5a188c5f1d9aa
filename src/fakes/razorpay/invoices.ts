import { fail } from './errors.ts';
import { listOptionsOf, stringOf } from './params.ts';
import { pageOfTable } from './list-page.ts';
import type { RazorpayHandler } from './runtime.ts';
import type { InvoiceRecord } from './store.ts';
import type { InvoiceEntity } from './subscription-entities.ts';

/** GET /v1/invoices/:id */
export const fetchInvoice: RazorpayHandler = (context, path) => {
  const record = path.id === undefined ? undefined : context.runtime.store.invoices.get(path.id);
  return (record ?? fail({ kind: 'id_not_found' })).invoice;
};

const filters = ['type', 'payment_id', 'receipt', 'customer_id', 'subscription_id'] as const;

/**
 * GET /v1/invoices — count/skip/from/to, and the filters Razorpay documents: `type`,
 * `payment_id`, `receipt`, `customer_id`, `subscription_id` (a subscription's invoices).
 */
export const listInvoices: RazorpayHandler = (context) => {
  const wanted = filters.flatMap((field) => {
    const value = stringOf(context.query, field);
    return value === undefined ? [] : [[field, value] as const];
  });
  const listed = {
    entity: (record: InvoiceRecord) => record.invoice,
    createdAt: (invoice: InvoiceEntity) => invoice.created_at,
    matches: (invoice: InvoiceEntity) => wanted.every(([field, value]) => invoice[field] === value),
  };
  return pageOfTable(context.runtime.store.invoices, listed, listOptionsOf(context.query));
};
