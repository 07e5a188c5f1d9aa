import type { OrderEntity } from './entities.ts';
import { authorize, capture, createPayment, failPayment } from './payment-flow.ts';
import type { RazorpayContext } from './runtime.ts';
import type { AddonEntity, InvoiceEntity, LineItemEntity, PlanEntity } from './subscription-entities.ts';
import type { InvoiceRecord, PaymentRecord, SubscriptionRecord } from './store.ts';
import { bankPageFailure, testCard } from './test-cards.ts';

/** What an invoice bills: the plan for a cycle (or only upfront add-ons), and when. */
export interface InvoiceScope {
  /** The cycle billed, counted from 1; 0 for an authentication that charges upfront add-ons only. */
  readonly cycle: number;
  readonly plan: PlanEntity;
  readonly billingStart: number | null;
  readonly billingEnd: number | null;
  /** An immediate plan change's prorated charge: the invoice's one line, no add-ons. */
  readonly prorated?: number;
}

function lineOf(
  context: RazorpayContext,
  source: { readonly name: string; readonly description: string | null; readonly amount: number },
  quantity: number,
  currency: string,
  type: LineItemEntity['type'],
): LineItemEntity {
  const gross = source.amount * quantity;
  return {
    id: context.runtime.ids.razorpay('li_'),
    item_id: null,
    ref_id: null,
    ref_type: null,
    name: source.name,
    description: source.description,
    amount: source.amount,
    unit_amount: source.amount,
    gross_amount: gross,
    tax_amount: 0,
    taxable_amount: gross,
    net_amount: gross,
    currency,
    type,
    tax_inclusive: false,
    hsn_code: null,
    sac_code: null,
    tax_rate: null,
    unit: null,
    quantity,
    taxes: [],
  };
}

/** The add-ons of a subscription created up to now and on no invoice yet: the next invoice's. */
export function unbilledAddons(context: RazorpayContext, subscriptionId: string): AddonEntity[] {
  return context.runtime.store.addons
    .where('subscription_id', subscriptionId)
    .filter((addon) => addon.invoice_id === null);
}

/** The offer's discount on the plan line of cycle `cycle` (offers apply to their first payments). */
function discountOf(context: RazorpayContext, record: SubscriptionRecord, cycle: number, planMinor: number) {
  const offer = context.runtime.store.offers.get(record.subscription.offer_id ?? '');
  if (offer === undefined || cycle < 1 || (offer.payments !== null && cycle > offer.payments)) return 0;
  const off = offer.discountType === 'flat' ? offer.discount : Math.floor((planMinor * offer.discount) / 100);
  return Math.min(planMinor, off, offer.maxDiscount ?? off);
}

/**
 * Issues a subscription's invoice: the plan × quantity for the cycle (less an offer's discount),
 * plus every add-on not yet invoiced, each add-on now naming the invoice. Razorpay collects an
 * invoice through an order of its own, made here too.
 */
export function issueInvoice(
  context: RazorpayContext,
  record: SubscriptionRecord,
  scope: InvoiceScope,
): InvoiceRecord {
  const { runtime, nowSeconds } = context;
  const { subscription } = record;
  const currency = scope.plan.item.currency;
  const addons = scope.prorated === undefined ? unbilledAddons(context, subscription.id) : [];
  const prorated = {
    name: scope.plan.item.name,
    description: 'Prorated plan change',
    amount: scope.prorated ?? 0,
  };
  const lines = [
    ...(scope.prorated !== undefined ? [lineOf(context, prorated, 1, currency, 'plan')] : []),
    ...(scope.cycle === 0 ? [] : [lineOf(context, scope.plan.item, subscription.quantity, currency, 'plan')]),
    ...addons.map((addon) => lineOf(context, addon.item, addon.quantity, currency, 'addon')),
  ];
  const gross = lines.reduce((sum, line) => sum + line.gross_amount, 0);
  const amount =
    gross - discountOf(context, record, scope.cycle, lines[0]?.type === 'plan' ? lines[0].gross_amount : 0);
  const order: OrderEntity = {
    id: runtime.ids.razorpay('order_'),
    entity: 'order',
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency,
    receipt: null,
    offer_id: null,
    status: 'created',
    attempts: 0,
    notes: [],
    created_at: nowSeconds,
  };
  runtime.store.orders.set(order.id, {
    order,
    keyId: record.keyId,
    requestId: null,
    capture: 'automatic',
    partialPayment: false,
    customerId: subscription.customer_id,
    mandate: null,
  });
  const customer = runtime.store.customers.get(subscription.customer_id ?? '');
  const invoice: InvoiceEntity = {
    id: runtime.ids.razorpay('inv_'),
    entity: 'invoice',
    receipt: null,
    invoice_number: null,
    customer_id: subscription.customer_id,
    customer_details: {
      id: customer?.id ?? '',
      name: customer?.name ?? null,
      email: customer?.email ?? null,
      contact: customer?.contact ?? null,
      gstin: customer?.gstin ?? null,
      customer_name: customer?.name ?? null,
      customer_email: customer?.email ?? null,
      customer_contact: customer?.contact ?? null,
    },
    order_id: order.id,
    subscription_id: subscription.id,
    line_items: lines,
    payment_id: null,
    status: 'issued',
    expire_by: null,
    issued_at: nowSeconds,
    paid_at: null,
    cancelled_at: null,
    expired_at: null,
    sms_status: null,
    email_status: null,
    date: nowSeconds,
    terms: null,
    partial_payment: false,
    gross_amount: gross,
    tax_amount: 0,
    taxable_amount: gross,
    amount,
    amount_paid: 0,
    amount_due: amount,
    currency,
    currency_symbol: currency === 'INR' ? '₹' : currency,
    description: null,
    notes: [],
    comment: null,
    short_url: `https://rzp.io/i/${runtime.random.string(9)}`,
    view_less: true,
    billing_start: scope.billingStart,
    billing_end: scope.billingEnd,
    type: 'invoice',
    group_taxes_discounts: false,
    created_at: nowSeconds,
    idempotency_key: null,
  };
  // The unbilled add-ons were found by a scan (frozen copies): their drafts take the invoice.
  for (const addon of addons) runtime.store.addons.get(addon.id)!.invoice_id = invoice.id;
  const invoiceRecord: InvoiceRecord = { invoice, cycle: scope.cycle };
  runtime.store.invoices.set(invoice.id, invoiceRecord);
  return invoiceRecord;
}

/** Who pays: the customer on Checkout (their card works unless they fail it), or Razorpay's auto-charge. */
export type ChargeMode = { readonly by: 'customer'; readonly failed: boolean } | { readonly by: 'razorpay' };

/**
 * Charges an invoice on the subscription's card: a payment on the invoice's order, authorised
 * and captured (`payment.authorized`, `payment.captured`, `order.paid`, then `invoice.paid`), or
 * failed. An automatic charge fails when the authorised card is a failure card.
 */
export function chargeInvoice(
  context: RazorpayContext,
  record: SubscriptionRecord,
  invoiceRecord: InvoiceRecord,
  mode: ChargeMode,
): PaymentRecord {
  const { runtime } = context;
  const { invoice } = invoiceRecord;
  const order = runtime.store.orders.get(invoice.order_id)!;
  const card = testCard(record.cardNumber ?? '');
  const failure =
    mode.by === 'razorpay' ? card.failure : mode.failed ? (card.failure ?? bankPageFailure) : undefined;
  const customer = runtime.store.customers.get(record.subscription.customer_id ?? '');
  const token = runtime.store.tokens.get(record.tokenId ?? '');
  const payment = createPayment(context, {
    order,
    amount: invoice.amount,
    card,
    ...(token === undefined ? {} : { cardId: token.token.card.id }),
    cardName: customer?.name ?? '',
    email: customer?.email ?? null,
    contact: customer?.contact ?? null,
    customerId: customer?.id ?? null,
    tokenId: record.tokenId,
    notes: {},
    description: mode.by === 'razorpay' ? 'Recurring Payment via Subscription' : `Invoice #${invoice.id}`,
    origin: 'subscription',
  });
  payment.payment.invoice_id = invoice.id;
  if (failure !== undefined) {
    failPayment(context, payment, failure);
    return payment;
  }
  authorize(context, payment);
  capture(context, payment, order);
  invoice.status = 'paid';
  invoice.payment_id = payment.payment.id;
  invoice.paid_at = context.nowSeconds;
  invoice.amount_paid = invoice.amount;
  invoice.amount_due = 0;
  context.emit({ event: 'invoice.paid', payment: payment.payment, order: order.order, invoice });
  return payment;
}
