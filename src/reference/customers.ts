import type { PspName } from '../fakes/common/psp-core.ts';
import type { CreateCustomerRequest } from '../sut/contract.ts';
import { InputError, onAccount, stripeOf, type CustomerRecord, type Runtime } from './context.ts';

/** Where a customer is created at Stripe. */
export interface CustomerPlacement {
  /** Create the customer on this connected account (direct charges). */
  readonly account?: string;
  /** Bind the customer to this test clock (Stripe Billing follows the service's time). */
  readonly testClock?: string;
  /** Pay-outs go to this connected account (destination charges). */
  readonly payoutAccount?: string;
  /** The customer's PSP may be this one as well as Stripe (hybrid: top-ups through Razorpay). */
  readonly alsoAt?: PspName;
}

/**
 * Creates the PSP customer (tagged with `metadata.fakepsp_customer_id`), attaches the test
 * payment method and makes it the default; every call keyed by the customer id.
 */
export async function createStripeCustomer(
  runtime: Runtime,
  request: CreateCustomerRequest,
  placement: CustomerPlacement = {},
): Promise<CustomerRecord> {
  if (runtime.customers.has(request.customerId))
    throw new InputError(`customer ${request.customerId} exists`);
  if (request.psp !== 'stripe' && request.psp !== placement.alsoAt) {
    throw new InputError(`psp ${request.psp} is not supported`);
  }
  const stripe = stripeOf(runtime);
  const scope = onAccount(placement.account);
  const key = `customer:${runtime.setup?.runId}:${request.customerId}`;
  const customer = await stripe.customers.create(
    {
      email: request.email,
      name: request.name,
      metadata: { fakepsp_customer_id: request.customerId },
      ...(placement.testClock === undefined ? {} : { test_clock: placement.testClock }),
    },
    { idempotencyKey: key, ...scope },
  );
  const method = await stripe.paymentMethods.attach(
    request.paymentMethod,
    { customer: customer.id },
    { idempotencyKey: `${key}:attach`, ...scope },
  );
  await stripe.customers.update(
    customer.id,
    { invoice_settings: { default_payment_method: method.id } },
    { idempotencyKey: `${key}:default-method`, ...scope },
  );
  const record: CustomerRecord = {
    ...newCustomerRecord(runtime, request),
    stripeCustomerId: customer.id,
    paymentMethodId: method.id,
    ...(placement.account === undefined ? {} : { account: placement.account }),
    ...(placement.payoutAccount === undefined ? {} : { payoutAccount: placement.payoutAccount }),
    ...(placement.testClock === undefined ? {} : { testClock: placement.testClock }),
  };
  runtime.customers.set(request.customerId, record);
  runtime.stripeCustomers.set(customer.id, request.customerId);
  return record;
}

/**
 * A customer's record before any PSP knows them: no Stripe ids (a multi-psp customer of Adyen or
 * Razorpay keeps them empty), the first period starting now.
 */
export function newCustomerRecord(runtime: Runtime, request: CreateCustomerRequest): CustomerRecord {
  return {
    request,
    stripeCustomerId: '',
    paymentMethodId: '',
    periodStartMs: runtime.nowMs,
    periodsBilled: 0,
    usage: new Map(),
    billedUsage: new Set(),
    reportedUsage: new Set(),
    priceAccounts: new Map(),
    walletMinor: 0,
  };
}

/**
 * Accepts a usage event once per eventId (the seeded bug `duplicateUsageBilled` accepts every
 * repeat). Answers whether it is new.
 */
export function acceptUsage(
  runtime: Runtime,
  customer: CustomerRecord,
  event: {
    readonly eventId: string;
    readonly meter: string;
    readonly quantity: number;
    readonly atMs: number;
  },
  duplicatesAllowed: boolean,
): string | undefined {
  validateUsage(customer, event);
  let id = event.eventId;
  if (customer.usage.has(id)) {
    if (!duplicatesAllowed) return undefined;
    id = `${event.eventId}#${customer.usage.size}`;
  }
  customer.usage.set(id, { meter: event.meter, quantity: event.quantity, atMs: event.atMs });
  return id;
}

/** Refuses a usage event with a bad quantity or a meter outside the customer's plan. */
export function validateUsage(
  customer: CustomerRecord,
  event: { readonly meter: string; readonly quantity: number },
): void {
  if (!Number.isSafeInteger(event.quantity) || event.quantity < 0) {
    throw new InputError('quantity must be a non-negative integer');
  }
  if (customer.request.plan.unitPricesMinor[event.meter] === undefined) {
    throw new InputError(`meter ${event.meter} is not in the plan of ${customer.request.customerId}`);
  }
}
