import type { Payments } from 'razorpay/dist/types/payments.d.ts';
import type { CreateCustomerRequest } from '../../sut/contract.ts';
import { InputError, bug, customerOf, nowIso, type CustomerRecord, type Runtime } from '../context.ts';
import { accounts, transfer } from '../ledger.ts';
import { pspAmount } from '../money.ts';
import type { Payment } from '../payments.ts';
import { book, type Origin } from '../postings.ts';
import type { RazorpayConnection } from './client.ts';

const cash = accounts.cashAt('razorpay');

/** The Razorpay client, once `setup` has run with Razorpay. */
export function razorpayOf(runtime: Runtime): RazorpayConnection {
  if (runtime.razorpay === undefined) throw new InputError('setup did not hand over Razorpay');
  return runtime.razorpay;
}

/**
 * Creates (or, with `fail_existing: 0`, finds) the Razorpay customer, tagged with the service's
 * customer id. The customer authorises a card mandate on Razorpay's hosted page; its token is
 * looked up when the first charge needs it.
 */
export async function createRazorpayCustomer(
  runtime: Runtime,
  request: CreateCustomerRequest,
): Promise<string> {
  const customer = await razorpayOf(runtime).api.customers.create({
    name: request.name,
    email: request.email,
    fail_existing: 0,
    notes: { fakepsp_customer_id: request.customerId },
  });
  return customer.id;
}

// The SDK rejects with a plain `{statusCode, error}`; a network failure has no status.
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

async function confirmedToken(runtime: Runtime, customer: CustomerRecord): Promise<string | undefined> {
  if (customer.razorpayTokenId !== undefined || customer.razorpayCustomerId === undefined)
    return customer.razorpayTokenId;
  const tokens = await razorpayOf(runtime).api.customers.fetchTokens(customer.razorpayCustomerId);
  const token = tokens.items.find((item) => item.recurring_details?.status === 'confirmed');
  if (token !== undefined) customer.razorpayTokenId = token.id;
  return customer.razorpayTokenId;
}

/** Charges a payment obligation against the customer's mandate: a new attempt gets a new order. */
export async function chargeRazorpay(runtime: Runtime, payment: Payment): Promise<void> {
  payment.attempts += 1;
  payment.lastAttemptMs = runtime.nowMs;
  delete payment.pspRef;
  await driveRazorpay(runtime, payment);
}

/**
 * One attempt: an order (the obligation's anchor: Razorpay pays an order at most once), then a
 * recurring payment on the mandate. The outcome arrives by webhook, or the poll job reads the
 * order's payments.
 */
export async function driveRazorpay(runtime: Runtime, payment: Payment): Promise<void> {
  const { api } = razorpayOf(runtime);
  const customer = customerOf(runtime, payment.customerId);
  const amount = pspAmount(runtime, payment.amount, payment.currency);
  const notes = { obligation_id: payment.id, fakepsp_customer_id: payment.customerId };
  try {
    const token = await confirmedToken(runtime, customer);
    if (token === undefined || customer.razorpayCustomerId === undefined) {
      runtime.payments.move(payment, 'failed');
      return;
    }
    if (payment.pspRef === undefined) {
      const order = await api.orders.create({
        amount,
        currency: payment.currency.toUpperCase(),
        receipt: `${payment.id}:${payment.attempts}`.slice(-40),
        notes,
      });
      payment.pspRef = order.id;
      runtime.pspPayments.set(order.id, payment.id);
    }
    await api.payments.createRecurringPayment({
      amount,
      currency: payment.currency.toUpperCase(),
      order_id: payment.pspRef,
      customer_id: customer.razorpayCustomerId,
      token,
      recurring: 1,
      email: customer.request.email,
      contact: '9000090000',
      notes,
    });
    runtime.payments.move(payment, 'processing');
  } catch (error) {
    const status = statusOf(error);
    // A refusal (say, the order was paid by an attempt whose answer was lost) is settled by
    // reading the order; an unknown outcome is re-driven by the poll job.
    if (status !== undefined && status < 500 && status !== 429 && payment.pspRef !== undefined) {
      await syncOrder(runtime, payment, 'api');
    } else
      runtime.payments.move(
        payment,
        status !== undefined && status < 500 && status !== 429 ? 'failed' : 'unknown',
      );
  }
}

/** Reads an attempt's order payments and applies them (the poll job's source of truth). */
async function syncOrder(runtime: Runtime, payment: Payment, origin: Origin): Promise<void> {
  if (payment.pspRef === undefined) return;
  const payments = await razorpayOf(runtime).api.orders.fetchPayments(payment.pspRef);
  for (const item of payments.items) {
    applyRazorpayPayment(runtime, item, origin);
    await captureAuthorised(runtime, item, origin);
  }
  // No payment on the order yet: a lost mandate charge is re-driven; a top-up waits for its customer.
  if (payments.items.length === 0 && payment.purpose !== 'topup') runtime.payments.move(payment, 'unknown');
}

/**
 * A payment Razorpay left `authorized` (its authorisation came late, past the automatic capture
 * window) is captured by the service, as Razorpay asks within 5 days; else Razorpay gives it back.
 */
async function captureAuthorised(
  runtime: Runtime,
  item: Payments.RazorpayPayment,
  origin: Origin,
): Promise<void> {
  if (item.status !== 'authorized' || item.captured || bug(runtime, 'razorpayAuthorisedBooked')) return;
  try {
    const captured = await razorpayOf(runtime).api.payments.capture(item.id, item.amount, item.currency);
    applyRazorpayPayment(runtime, captured, origin);
  } catch {
    // Captured meanwhile, or given back: the next poll reads what it became.
  }
}

/** The poll job's share for Razorpay: read orders in flight, re-drive lost attempts. */
export async function redriveRazorpay(runtime: Runtime): Promise<void> {
  for (const payment of runtime.payments.all()) {
    if (payment.psp !== 'razorpay') continue;
    if (payment.state === 'processing') await syncOrder(runtime, payment, 'poll');
    if (payment.purpose === 'topup') {
      // A top-up whose order was never made (its answer lost) gets one; the customer pays it.
      if (payment.pspRef === undefined && payment.state !== 'succeeded')
        await openTopUpOrder(runtime, payment);
      continue;
    }
    if (payment.state === 'unknown' || payment.state === 'created') {
      if (payment.attempts === 0) payment.attempts = 1;
      if (payment.pspRef !== undefined) await syncOrder(runtime, payment, 'poll');
      if (payment.state === 'unknown' || payment.state === 'created') await driveRazorpay(runtime, payment);
    }
  }
}

/** Applies what Razorpay says about a payment of ours (webhook, API or poll). */
export function applyRazorpayPayment(
  runtime: Runtime,
  entity: Payments.RazorpayPayment,
  origin: Origin,
): void {
  const payment = runtime.payments.get(runtime.pspPayments.get(entity.order_id ?? '') ?? '');
  if (payment === undefined) return;
  runtime.pspPayments.set(entity.id, payment.id);
  const failedMark = `razorpay-failed:${entity.id}`;
  if (entity.status === 'failed') {
    runtime.seenEvents.add(failedMark);
    runtime.payments.move(payment, 'failed');
    return;
  }
  // The seeded bug: a payment once seen failing is final, so its late authorisation and capture
  // (Razorpay's documented payment.failed → payment.captured) are never booked.
  if (runtime.seenEvents.has(failedMark) && bug(runtime, 'razorpayFailedThenCapturedIgnored')) return;
  // Money arrived only if the payment was captured: `refunded` may be an authorisation given back.
  const authorisedBooked = entity.status === 'authorized' && bug(runtime, 'razorpayAuthorisedBooked');
  if (!entity.captured && !authorisedBooked) {
    const givenBack = entity.status === 'refunded';
    runtime.payments.move(payment, givenBack ? 'failed' : 'processing');
    return;
  }
  runtime.payments.move(payment, 'succeeded');
  const wallet = payment.purpose === 'topup' ? runtime.customers.get(payment.customerId) : undefined;
  const counter =
    payment.purpose === 'topup'
      ? accounts.wallet(payment.customerId)
      : accounts.receivable(payment.customerId);
  const posted = book(runtime, origin, {
    key: `razorpay-payment:${entity.id}`,
    at: nowIso(runtime),
    kind: payment.purpose === 'topup' ? 'topup' : 'payment',
    customerId: payment.customerId,
    ref: { psp: 'razorpay', type: 'payment', id: entity.id },
    postings: transfer(cash, counter, Number(entity.amount), entity.currency.toLowerCase()),
  });
  if (posted && wallet !== undefined) wallet.walletMinor += Number(entity.amount);
}

/**
 * A wallet top-up at Razorpay (hybrid): an order the customer pays on Razorpay's hosted Checkout;
 * the wallet is credited when `payment.captured` (or the poll job) says the money arrived.
 */
export async function openTopUpOrder(runtime: Runtime, payment: Payment): Promise<void> {
  const order = await razorpayOf(runtime).api.orders.create({
    amount: pspAmount(runtime, payment.amount, payment.currency),
    currency: payment.currency.toUpperCase(),
    receipt: payment.id.slice(-40),
    notes: { topup_id: payment.id, fakepsp_customer_id: payment.customerId },
  });
  payment.attempts += 1;
  payment.pspRef = order.id;
  runtime.pspPayments.set(order.id, payment.id);
  runtime.payments.move(payment, 'processing');
}
