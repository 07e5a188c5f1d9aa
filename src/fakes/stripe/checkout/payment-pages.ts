import type Stripe from 'stripe';
import * as z from 'zod';
import type { Route } from '../../common/router.ts';
import type { StripeHandler } from '../context.ts';
import { fail } from '../errors.ts';
import { expand, expandOnly, int, parseParams, text } from '../params.ts';
import { requireSession } from '../resources/checkout-sessions.ts';
import { completeSessionIn } from './actions.ts';

/**
 * The hosted Checkout page's own API, which the Stripe CLI's checkout triggers call as a
 * customer's browser would: read the page, then confirm it with a payment method.
 */
const confirmSchema = z.strictObject({
  payment_method: text(),
  expected_amount: int({ min: 0 }).optional(),
  email: text().optional(),
  expand,
});

const page: StripeHandler = (context, path) => {
  parseParams(expandOnly, context.params);
  return requireSession(context, path.id!);
};

const confirm: StripeHandler = (context, path) => {
  const params = parseParams(confirmSchema, context.params);
  const session = requireSession(context, path.id!);
  if (session.status !== 'open') {
    fail({
      kind: 'unexpected_state',
      code: 'checkout_session_unexpected_state',
      message: `This Checkout Session is ${session.status}; only an open one can be confirmed.`,
    });
  }
  if (params.expected_amount !== undefined && params.expected_amount !== (session.amount_total ?? 0)) {
    fail({
      kind: 'invalid_request',
      param: 'expected_amount',
      message: `The expected amount (${params.expected_amount}) does not match the session's total (${session.amount_total ?? 0}).`,
    });
  }
  const outcome = completeSessionIn(context, {
    sessionId: session.id,
    paymentMethod: params.payment_method,
    ...(params.email === undefined ? {} : { email: params.email }),
  });
  if (!outcome.ok) {
    fail({
      kind: 'card_declined',
      code: outcome.code,
      ...(outcome.declineCode === undefined ? {} : { declineCode: outcome.declineCode }),
      message: 'Your card was declined.',
    });
  }
  return context.tx.get<Stripe.Checkout.Session>('checkout.session', session.id) ?? outcome.session;
};

export const paymentPagesRoutes: readonly Route<StripeHandler>[] = [
  { method: 'GET', pattern: '/v1/payment_pages/:id', handler: page },
  { method: 'POST', pattern: '/v1/payment_pages/:id/confirm', handler: confirm },
];
