import { fail } from './errors.ts';
import { currencyOf } from './orders.ts';
import { allowOnly, booleanOf, emailOf, integerOf, notesOf, stringOf } from './params.ts';
import { assertPayable, createPayment, settle } from './payment-flow.ts';
import type { RazorpayContext, RazorpayHandler, RazorpayRuntime } from './runtime.ts';
import type { OrderRecord, PaymentRecord } from './store.ts';
import { testCard } from './test-cards.ts';
import { runAction } from './work.ts';

const recurringFields = [
  'email',
  'contact',
  'amount',
  'currency',
  'order_id',
  'customer_id',
  'token',
  'recurring',
  'notes',
  'description',
  'ip',
  'referer',
  'user_agent',
];

/** Looks up what a recurring debit names, refusing with Razorpay's payment-initiation errors. */
function debitTarget(context: RazorpayContext) {
  const { body, runtime } = context;
  const initiation = { required: true, initiation: true } as const;
  const email = emailOf(body, 'email', initiation)!;
  const contact = stringOf(body, 'contact', { ...initiation, lengthMax: 15 })!;
  const amount = integerOf(body, 'amount', initiation)!;
  const currency = currencyOf(body, { initiation: true });
  const orderId = stringOf(body, 'order_id', initiation)!;
  const customerId = stringOf(body, 'customer_id', initiation)!;
  const tokenId = stringOf(body, 'token', initiation)!;
  if (booleanOf(body, 'recurring') !== true)
    fail({ kind: 'field_invalid', field: 'recurring', initiation: true });
  const notes = notesOf(body) ?? {};
  const description = stringOf(body, 'description', { lengthMax: 255 }) ?? null;
  const order = runtime.store.orders.get(orderId) ?? fail({ kind: 'id_not_found', initiation: true });
  const customer =
    runtime.store.customers.get(customerId) ?? fail({ kind: 'id_not_found', initiation: true });
  const token = runtime.store.tokens.get(tokenId);
  if (token === undefined || token.token.customer_id !== customer.id)
    fail({ kind: 'id_not_found', initiation: true });
  if (token.deleted || token.token.recurring_details.status !== 'confirmed')
    fail({ kind: 'token_not_usable' });
  if (order.customerId !== null && order.customerId !== customer.id)
    fail({ kind: 'field_invalid', field: 'customer_id', initiation: true });
  assertPayable(order, amount, currency);
  if (amount > token.token.max_amount) fail({ kind: 'token_max_amount_exceeded' });
  return { email, contact, amount, notes, description, order, customer, token };
}

/** Milliseconds of virtual time between a recurring debit's request and the bank's answer. */
export const recurringSettleDelayMs = 0;

/**
 * POST /v1/payments/create/recurring: a debit on a confirmed mandate. The answer is only
 * `{razorpay_payment_id}` (the docs' sample); the outcome comes by webhook. The bank answers
 * right after the request in virtual time: the next request or webhook flush sees the payment
 * authorised and captured (if the order auto-captures) or failed, when the token's card is a
 * failure card.
 */
export const createRecurringPayment: RazorpayHandler = (context) => {
  allowOnly(context.body, recurringFields);
  const target = debitTarget(context);
  const card = testCard(target.token.cardNumber);
  const record = createPayment(context, {
    order: target.order,
    amount: target.amount,
    card,
    cardId: target.token.token.card.id,
    cardName: target.token.token.card.name,
    email: target.email,
    contact: target.contact,
    customerId: target.customer.id,
    tokenId: target.token.token.id,
    notes: target.notes,
    description: target.description,
    origin: 'recurring',
  });
  target.token.token.used_at = context.nowSeconds;
  scheduleOutcome(context.runtime, record, target.order);
  return { razorpay_payment_id: record.payment.id };
};

function scheduleOutcome(runtime: RazorpayRuntime, record: PaymentRecord, order: OrderRecord): void {
  const paymentId = record.payment.id;
  runtime.sim.clock.schedule({
    delayMs: recurringSettleDelayMs,
    label: `razorpay: recurring debit ${paymentId}`,
    run: () => {
      // Something else (a harness action) may have settled it meanwhile.
      if (runtime.store.payments.get(paymentId)?.payment.status !== 'created') return;
      runAction(
        runtime,
        'recurring_debit_settled',
        { paymentId, requestId: record.requestId },
        // Read again inside the unit: what was scheduled is a snapshot of another unit.
        (context) => {
          const now = context.runtime.store.payments.get(paymentId)!;
          const orderNow = context.runtime.store.orders.get(order.order.id)!;
          settle(context, now, orderNow, testCard(now.cardNumber).failure);
        },
        { requestId: record.requestId, idempotencyKey: null },
      );
    },
  });
}
