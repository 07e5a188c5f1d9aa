import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { paginate } from '../list.ts';
import { expandOnly, listParams, oneOf, parseParams, text } from '../params.ts';
import { invoicePaymentType } from './settle.ts';

const listSchema = z.strictObject({
  ...listParams,
  invoice: text().optional(),
  status: oneOf('status', ['canceled', 'open', 'paid']).optional(),
  payment: z
    .strictObject({ type: text(), payment_intent: text().optional(), payment_record: text().optional() })
    .optional(),
});

const retrieve: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  const payment = context.tx.get<Stripe.InvoicePayment>(invoicePaymentType, path.id!);
  if (payment === undefined) fail({ kind: 'resource_missing', objectName: 'invoice_payment', id: path.id! });
  return payment;
};

const list: StripeHandler = (context) => {
  const params = parseParams(listSchema, context.params);
  const payments = (
    params.invoice === undefined
      ? context.tx.values<Stripe.InvoicePayment>(invoicePaymentType)
      : context.tx.where<Stripe.InvoicePayment>(invoicePaymentType, 'invoice', params.invoice)
  )
    .filter((payment) => params.invoice === undefined || payment.invoice === params.invoice)
    .filter((payment) => params.status === undefined || payment.status === params.status)
    .filter(
      (payment) =>
        params.payment?.payment_intent === undefined ||
        payment.payment.payment_intent === params.payment.payment_intent,
    );
  return paginate(params, payments, '/v1/invoice_payments');
};

/** `GET /v1/invoice_payments[/:id]`: the basil+ link between an invoice and its PaymentIntents. */
export const invoicePaymentsRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/invoice_payments', handler: list },
  { method: 'GET', pattern: '/v1/invoice_payments/:id', handler: retrieve },
];
