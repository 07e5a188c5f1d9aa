import { renderNotes } from './entities.ts';
import { fail } from './errors.ts';
import { currencyOf, minimumAmount } from './orders.ts';
import { allowOnly, booleanOf, emailOf, integerOf, notesOf, stringOf, type Body } from './params.ts';
import type { PaymentLinkEntity } from './payment-link-entities.ts';
import type { RazorpayContext, RazorpayHandler, RazorpayRuntime } from './runtime.ts';
import { runAction } from './work.ts';

const createFields = [
  'upi_link',
  'amount',
  'currency',
  'accept_partial',
  'first_min_partial_amount',
  'expire_by',
  'reference_id',
  'description',
  'customer',
  'notify',
  'reminder_enable',
  'notes',
  'callback_url',
  'callback_method',
];

/** A link must stay open at least this long (Razorpay's "at least 15 minutes in future"). */
const expiryLeadS = 15 * 60;
const referenceLengthMax = 40;

function customerOf(body: Body): PaymentLinkEntity['customer'] {
  const raw = body.customer;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    return fail({ kind: 'field_invalid', field: 'customer' });
  const customer = raw as Body;
  allowOnly(customer, ['name', 'email', 'contact']);
  const name = stringOf(customer, 'name', { lengthMax: 255 });
  const email = emailOf(customer, 'email');
  const contact = stringOf(customer, 'contact', { lengthMax: 15 });
  return {
    ...(name === undefined ? {} : { name }),
    ...(email === undefined ? {} : { email }),
    ...(contact === undefined ? {} : { contact }),
  };
}

function expiryOf(context: RazorpayContext): number {
  const expireBy = integerOf(context.body, 'expire_by') ?? 0;
  if (expireBy !== 0 && expireBy < context.nowSeconds + expiryLeadS) fail({ kind: 'link_expiry_too_soon' });
  return expireBy;
}

/** A link still open expires when its `expire_by` passes: `payment_link.expired`. */
function scheduleExpiry(runtime: RazorpayRuntime, link: PaymentLinkEntity): void {
  if (link.expire_by === 0) return;
  runtime.sim.clock.schedule({
    atMs: link.expire_by * 1000,
    label: `razorpay: payment link ${link.id} expires`,
    run: () => {
      const status = runtime.store.paymentLinks.get(link.id)?.status;
      if (status !== 'created' && status !== 'partially_paid') return;
      runAction(runtime, 'payment_link_expired', { paymentLinkId: link.id }, (context) => {
        const now = context.runtime.store.paymentLinks.get(link.id)!;
        now.status = 'expired';
        now.expired_at = context.nowSeconds;
        now.updated_at = context.nowSeconds;
        context.emit({ event: 'payment_link.expired', payment_link: now });
      });
    },
  });
}

/**
 * POST /v1/payment_links: a standard link (`amount`, `currency`, `accept_partial` with
 * `first_min_partial_amount`, `expire_by` at least 15 minutes ahead, a unique `reference_id`,
 * `customer`, `notify`, `notes`, `callback_url`). The customer pays it on Razorpay's page: the
 * `pay_payment_link` action. UPI links need live keys, as at Razorpay.
 */
export const createPaymentLink: RazorpayHandler = (context) => {
  const { body, runtime, nowSeconds } = context;
  allowOnly(body, createFields);
  if (booleanOf(body, 'upi_link') === true) fail({ kind: 'link_upi_test_mode' });
  const amount = integerOf(body, 'amount', { required: true })!;
  const currency = body.currency === undefined ? 'INR' : currencyOf(body);
  if (amount < minimumAmount(currency)) fail({ kind: 'amount_too_small', currency });
  const acceptPartial = booleanOf(body, 'accept_partial') ?? false;
  const firstMin = integerOf(body, 'first_min_partial_amount') ?? 0;
  if (firstMin < 0 || firstMin > amount) fail({ kind: 'field_invalid', field: 'first_min_partial_amount' });
  const reference = stringOf(body, 'reference_id', { lengthMax: referenceLengthMax }) ?? '';
  if (reference !== '' && runtime.store.paymentLinks.where('reference_id', reference).length > 0)
    fail({ kind: 'link_reference_taken' });
  const notify = (body.notify ?? {}) as Body;
  const link: PaymentLinkEntity = {
    id: runtime.ids.razorpay('plink_'),
    accept_partial: acceptPartial,
    amount,
    amount_paid: 0,
    callback_method: stringOf(body, 'callback_method') ?? '',
    callback_url: stringOf(body, 'callback_url', { lengthMax: 2048 }) ?? '',
    cancelled_at: 0,
    created_at: nowSeconds,
    currency,
    customer: customerOf(body),
    description: stringOf(body, 'description', { lengthMax: 2048 }) ?? '',
    expire_by: expiryOf(context),
    expired_at: 0,
    first_min_partial_amount: firstMin,
    notes: renderNotes(notesOf(body) ?? {}),
    notify: { email: booleanOf(notify, 'email') ?? false, sms: booleanOf(notify, 'sms') ?? false },
    payments: null,
    reference_id: reference,
    reminder_enable: booleanOf(body, 'reminder_enable') ?? false,
    reminders: { status: 'pending' },
    short_url: `https://rzp.io/i/${runtime.random.string(9)}`,
    status: 'created',
    updated_at: nowSeconds,
    upi_link: false,
    user_id: '',
  };
  runtime.store.paymentLinks.set(link.id, link);
  scheduleExpiry(runtime, link);
  return link;
};

/** The link with an id, or Razorpay's 400 "The id provided does not exist". */
export function paymentLinkOf(context: RazorpayContext, id: string | undefined): PaymentLinkEntity {
  const link = id === undefined ? undefined : context.runtime.store.paymentLinks.get(id);
  return link ?? fail({ kind: 'id_not_found' });
}

/** GET /v1/payment_links/:id */
export const fetchPaymentLink: RazorpayHandler = (context, path) => paymentLinkOf(context, path.id);

/** GET /v1/payment_links — `{payment_links: […]}`, newest first, by `payment_id` or `reference_id`. */
export const listPaymentLinks: RazorpayHandler = (context) => {
  const paymentId = stringOf(context.query, 'payment_id');
  const reference = stringOf(context.query, 'reference_id');
  const links = [...context.runtime.store.paymentLinks.values()]
    .filter((link) => reference === undefined || link.reference_id === reference)
    .filter(
      (link) =>
        paymentId === undefined || (link.payments ?? []).some((paid) => paid.payment_id === paymentId),
    )
    .reverse();
  return { payment_links: links };
};

/** PATCH /v1/payment_links/:id `{reference_id?, expire_by?, notes?, accept_partial?, reminder_enable?}` */
export const editPaymentLink: RazorpayHandler = (context, path) => {
  const link = paymentLinkOf(context, path.id);
  const { body } = context;
  allowOnly(body, ['reference_id', 'expire_by', 'notes', 'accept_partial', 'reminder_enable']);
  if (link.status !== 'created' && link.status !== 'partially_paid')
    fail({ kind: 'link_not_cancellable', status: link.status });
  const reference = stringOf(body, 'reference_id', { lengthMax: referenceLengthMax });
  const expireBy = body.expire_by === undefined ? undefined : expiryOf(context);
  const notes = notesOf(body);
  const acceptPartial = booleanOf(body, 'accept_partial');
  const reminders = booleanOf(body, 'reminder_enable');
  if (reference !== undefined) link.reference_id = reference;
  if (expireBy !== undefined) {
    link.expire_by = expireBy;
    scheduleExpiry(context.runtime, link);
  }
  if (notes !== undefined) link.notes = renderNotes(notes);
  if (acceptPartial !== undefined) link.accept_partial = acceptPartial;
  if (reminders !== undefined) link.reminder_enable = reminders;
  link.updated_at = context.nowSeconds;
  return link;
};

/** POST /v1/payment_links/:id/cancel: only a link not paid, expired or cancelled. */
export const cancelPaymentLink: RazorpayHandler = (context, path) => {
  const link = paymentLinkOf(context, path.id);
  if (link.status !== 'created' && link.status !== 'partially_paid')
    fail({ kind: 'link_not_cancellable', status: link.status });
  link.status = 'cancelled';
  link.cancelled_at = context.nowSeconds;
  link.updated_at = context.nowSeconds;
  context.emit({ event: 'payment_link.cancelled', payment_link: link });
  return link;
};
