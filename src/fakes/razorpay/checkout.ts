import type { JsonValue } from '../../sim/canonical-json.ts';
import { customerOf } from './customers-tokens.ts';
import type { Notes } from './entities.ts';
import { orderRecord } from './orders.ts';
import { assertPayable, authorize, capture, confirmToken, createPayment, settle } from './payment-flow.ts';
import { paymentRecord } from './payments.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { checkoutSignature } from './signing.ts';
import { bankPageFailure, razorpayTestCards, testCard } from './test-cards.ts';
import { AdminRefusal, runAction } from './work.ts';

/** What Checkout's success handler receives in the browser. */
export interface CheckoutSuccess {
  readonly razorpay_payment_id: string;
  readonly razorpay_order_id: string;
  readonly razorpay_signature: string;
}

/** The customer pays an order on hosted Checkout. */
export interface CheckoutInput {
  readonly orderId: string;
  /** A test card number (default the Visa success card). */
  readonly card?: string;
  /** The button pressed on the mock bank page; by default a failure card fails, others succeed. */
  readonly outcome?: 'success' | 'failure';
  readonly notes?: Notes;
}

function keySecretOf(runtime: RazorpayRuntime, keyId: string): string {
  const key = runtime.keys.find((candidate) => candidate.keyId === keyId) ?? runtime.keys[0]!;
  return key.keySecret;
}

/**
 * The customer pays an order on Checkout: a payment is created and authorised (and captured
 * if the order auto-captures), webhooks go out, and the browser gets the `razorpay_*` fields
 * signed with the key_secret of the key that created the order — or, on failure, Checkout's
 * `{error:{…, metadata:{payment_id, order_id}}}`. A mandate-registration order also confirms
 * a card token for its customer.
 */
export function payOnCheckout(runtime: RazorpayRuntime, input: CheckoutInput): CheckoutSuccess | JsonValue {
  const card = testCard(input.card ?? razorpayTestCards.visaSuccess);
  const failure =
    input.outcome === 'success'
      ? undefined
      : input.outcome === 'failure'
        ? (card.failure ?? bankPageFailure)
        : card.failure;
  return runAction(runtime, 'checkout', { orderId: input.orderId }, (context) => {
    const order = orderRecord(context, input.orderId);
    assertPayable(order, order.order.amount_due, order.order.currency);
    const customer = order.customerId === null ? undefined : customerOf(context, order.customerId);
    const record = createPayment(context, {
      order,
      amount: order.order.amount_due,
      card,
      cardName: customer?.name ?? '',
      email: customer?.email ?? null,
      contact: customer?.contact ?? '+919000090000',
      customerId: customer?.id ?? null,
      tokenId: null,
      notes: input.notes ?? {},
      description: null,
      origin: order.mandate === null ? 'checkout' : 'mandate',
    });
    if (failure === undefined && order.mandate !== null && customer !== undefined) {
      const token = confirmToken(context, {
        customerId: customer.id,
        card,
        cardName: customer.name ?? '',
        paymentId: record.payment.id,
        maxAmount: order.mandate.maxAmount,
        expireAt: order.mandate.expireAt,
      });
      record.payment.token_id = token.token.id;
    }
    settle(context, record, order, failure);
    const { payment } = record;
    if (failure !== undefined) {
      return {
        error: {
          code: failure.code,
          description: failure.description,
          source: failure.source,
          step: failure.step,
          reason: failure.reason,
          metadata: { payment_id: payment.id, order_id: order.order.id },
        },
      };
    }
    return {
      razorpay_payment_id: payment.id,
      razorpay_order_id: order.order.id,
      razorpay_signature: checkoutSignature(order.order.id, payment.id, keySecretOf(runtime, order.keyId)),
    };
  });
}

/**
 * The customer completes a card-mandate registration on Checkout: a confirmed card token
 * (`token.confirmed`). With an `orderId` the registration payment is made on that order (as
 * Razorpay's authorisation transaction is); without one only the token is made. The card is the
 * one later debits use: a failure card registers fine, and its debits fail.
 */
export function authorizeMandate(
  runtime: RazorpayRuntime,
  input: { readonly customerId: string; readonly card?: string; readonly orderId?: string },
): JsonValue {
  const card = testCard(input.card ?? razorpayTestCards.visaSuccess);
  return runAction(runtime, 'authorize_mandate', { customerId: input.customerId }, (context) => {
    const customer = customerOf(context, input.customerId);
    const order = input.orderId === undefined ? undefined : orderRecord(context, input.orderId);
    if (order?.customerId !== undefined && order.customerId !== null && order.customerId !== customer.id)
      throw new AdminRefusal(`order ${order.order.id} belongs to customer ${order.customerId}`);
    if (order !== undefined) assertPayable(order, order.order.amount_due, order.order.currency);
    const record =
      order === undefined
        ? undefined
        : createPayment(context, {
            order,
            amount: order.order.amount_due,
            card,
            cardName: customer.name ?? '',
            email: customer.email,
            contact: customer.contact ?? '+919000090000',
            customerId: customer.id,
            tokenId: null,
            notes: {},
            description: null,
            origin: 'mandate',
          });
    const token = confirmToken(context, {
      customerId: customer.id,
      card,
      cardName: customer.name ?? '',
      paymentId: record?.payment.id ?? null,
      maxAmount: order?.mandate?.maxAmount ?? null,
      expireAt: order?.mandate?.expireAt ?? null,
    });
    if (record === undefined || order === undefined)
      return { token_id: token.token.id, customer_id: customer.id };
    record.payment.token_id = token.token.id;
    settle(context, record, order, undefined);
    return {
      token_id: token.token.id,
      customer_id: customer.id,
      razorpay_payment_id: record.payment.id,
      razorpay_order_id: order.order.id,
      razorpay_signature: checkoutSignature(
        order.order.id,
        record.payment.id,
        keySecretOf(runtime, order.keyId),
      ),
    };
  });
}

/**
 * Razorpay's documented "payment.failed followed by payment.captured": a failed payment is
 * authorised late by the bank and captured; its order becomes paid. Refused (Razorpay's own
 * error) when the order was paid meanwhile.
 */
export function lateCapture(runtime: RazorpayRuntime, input: { readonly paymentId: string }): JsonValue {
  return runAction(runtime, 'late_capture', { paymentId: input.paymentId }, (context) => {
    const record = paymentRecord(context, input.paymentId);
    if (record.payment.status !== 'failed')
      throw new AdminRefusal(`payment ${record.payment.id} is ${record.payment.status}, not failed`);
    const order =
      record.payment.order_id === null ? undefined : orderRecord(context, record.payment.order_id);
    if (order !== undefined) assertPayable(order, record.payment.amount, record.payment.currency);
    authorize(context, record);
    capture(context, record, order);
    return record.payment;
  });
}
