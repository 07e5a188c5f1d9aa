import { InputError, customerOf } from './state.js';

/**
 * Signs a customer up: creates them at Stripe with their payment method attached as the default,
 * and starts their first billing period now. Every Stripe call has an idempotency key derived
 * from the customer id, so a retried sign-up replays rather than creating a second customer.
 * @param {import('./state.js').State} state
 */
export async function createCustomer(state, { customerId, email, name, currency, paymentMethod, plan }) {
  const existing = state.customers.get(customerId);
  if (existing !== undefined) return { pspCustomerId: existing.stripeCustomerId };
  // One Stripe account may serve several runs (`fakepsp serve`), where customer ids repeat.
  const key = `${state.runId}:customer:${customerId}`;
  const stripeCustomer = await state.stripe.customers.create(
    {
      email,
      name,
    },
    { idempotencyKey: key },
  );
  const method = await state.stripe.paymentMethods.attach(
    paymentMethod,
    { customer: stripeCustomer.id },
    { idempotencyKey: `${key}:attach` },
  );
  await state.stripe.customers.update(
    stripeCustomer.id,
    { invoice_settings: { default_payment_method: method.id } },
    { idempotencyKey: `${key}:default-method` },
  );
  state.customers.set(customerId, {
    id: customerId,
    currency,
    plan,
    stripeCustomerId: stripeCustomer.id,
    paymentMethodId: method.id,
    periodStartMs: state.nowMs,
    periodsBilled: 0,
    usage: new Map(),
    billedEventIds: new Set(),
  });
  state.stripeCustomers.set(stripeCustomer.id, customerId);
  return { pspCustomerId: stripeCustomer.id };
}

/**
 * Meters one usage event. The first copy of an eventId counts; repeats (client retries) are
 * the same event and change nothing.
 * @param {import('./state.js').State} state
 */
export function recordUsage(state, { customerId, meter, quantity, eventId, atMs }) {
  const customer = customerOf(state, customerId);
  if (customer.plan.unitPricesMinor[meter] === undefined) {
    throw new InputError(`meter: ${meter} is not in the plan of ${customerId}`);
  }
  if (!customer.usage.has(eventId)) customer.usage.set(eventId, { meter, quantity, atMs });
}
