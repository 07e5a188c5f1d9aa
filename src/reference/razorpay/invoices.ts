import type { Invoices } from 'razorpay/dist/types/invoices.d.ts';
import type { Payments } from 'razorpay/dist/types/payments.d.ts';
import { bug, nextCount, nowIso, type CustomerRecord, type Runtime } from '../context.ts';
import { accounts } from '../ledger.ts';
import { book, type Origin } from '../postings.ts';
import { applyRazorpayPayment, razorpayOf } from './payments.ts';

/** A Razorpay invoice as the service reads it: a subscription's carries its id. */
export type RazorpayInvoice = Invoices.RazorpayInvoice & { readonly subscription_id?: string | null };

function customerOfSubscription(runtime: Runtime, subscriptionId: string | null | undefined) {
  return [...runtime.customers.values()].find(
    (customer) =>
      subscriptionId !== null &&
      subscriptionId !== undefined &&
      customer.razorpaySubscriptionId === subscriptionId,
  );
}

/** What an invoice bills: the plan (and any discount) to subscription revenue, add-ons to usage. */
function invoiceLines(invoice: RazorpayInvoice) {
  const addons = invoice.line_items.filter((line) => line.type === 'addon');
  const usageMinor = addons.reduce((sum, line) => sum + Number(line.gross_amount ?? 0), 0);
  const usage = new Map<string, number>();
  for (const line of addons) usage.set(line.name, (usage.get(line.name) ?? 0) + line.quantity);
  return { usageMinor, usage: [...usage].map(([meter, quantity]) => ({ meter, quantity })) };
}

function bookInvoice(
  runtime: Runtime,
  customer: CustomerRecord,
  invoice: RazorpayInvoice,
  origin: Origin,
  key: string,
  usageOnly = false,
): void {
  const { customerId } = customer.request;
  const currency = (invoice.currency ?? customer.request.currency).toLowerCase();
  const amount = Number(invoice.amount);
  const lines = invoiceLines(invoice);
  const total = usageOnly ? lines.usageMinor : amount;
  book(runtime, origin, {
    key,
    at: nowIso(runtime),
    kind: 'invoice',
    customerId,
    ref: { psp: 'razorpay', type: 'invoice', id: invoice.id },
    postings: [
      { account: accounts.receivable(customerId), amount: total, currency },
      { account: accounts.subscription, amount: -(total - lines.usageMinor), currency },
      { account: accounts.usage, amount: -lines.usageMinor, currency },
    ],
    usage: lines.usage,
  });
}

/**
 * Mirrors a paid Razorpay invoice (managed-razorpay): the receivable and revenue it bills — the
 * plan to subscription revenue, the usage add-ons to usage revenue, with the usage they bill —
 * and the payment that paid it, each once (by invoice and by payment). The payment becomes an
 * obligation of the service's book, so refunds and disputes of it are booked as for any other.
 */
export function applyRazorpayInvoice(
  runtime: Runtime,
  invoice: RazorpayInvoice,
  payment: Payments.RazorpayPayment,
  origin: Origin,
): void {
  const customer = customerOfSubscription(runtime, invoice.subscription_id);
  if (customer === undefined || invoice.status !== 'paid' || !payment.captured) return;
  const key = `razorpay-invoice:${invoice.id}`;
  // The seeded bug: a repeated invoice.paid books the invoice's usage add-ons once more.
  if (origin === 'webhook' && runtime.ledger.has(key) && bug(runtime, 'razorpayAddonBookedPerDelivery'))
    bookInvoice(runtime, customer, invoice, origin, `${key}:${nextCount(runtime, 'delivery')}`, true);
  bookInvoice(runtime, customer, invoice, origin, key);
  const obligationId = `razorpay-invoice:${customer.request.customerId}:${invoice.id}`;
  if (runtime.payments.get(obligationId) === undefined) {
    const obligation = runtime.payments.add({
      id: obligationId,
      customerId: customer.request.customerId,
      purpose: 'invoice',
      amount: Number(invoice.amount),
      currency: customer.request.currency,
      psp: 'razorpay',
      pspRef: invoice.order_id!,
    });
    runtime.payments.move(obligation, 'processing');
    runtime.pspPayments.set(invoice.order_id!, obligationId);
  }
  applyRazorpayPayment(runtime, payment, origin);
}

/** The poll job's share for managed-razorpay: every paid invoice of every subscription, once. */
export async function pollRazorpayInvoices(runtime: Runtime): Promise<void> {
  if (bug(runtime, 'noReconcileJob')) return;
  const { api } = razorpayOf(runtime);
  for (const customer of runtime.customers.values()) {
    const subscriptionId = customer.razorpaySubscriptionId;
    if (subscriptionId === undefined) continue;
    const invoices = await api.invoices.all({ subscription_id: subscriptionId, count: 100 });
    for (const invoice of invoices.items as RazorpayInvoice[]) {
      if (invoice.status !== 'paid' || runtime.ledger.has(`razorpay-invoice:${invoice.id}`)) continue;
      applyRazorpayInvoice(runtime, invoice, await api.payments.fetch(invoice.payment_id!), 'poll');
    }
  }
}
