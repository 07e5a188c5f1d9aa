import type Stripe from 'stripe';
import { assert } from '../../../sim/assert.ts';
import type { Decline } from '../test-cards.ts';

type Status = Stripe.PaymentIntent.Status;

/** Every status change a PaymentIntent may make; anything else is a bug in the fake. */
const transitions: Readonly<Record<string, readonly Status[]>> = {
  requires_payment_method: [
    'requires_confirmation',
    'requires_action',
    'processing',
    'requires_capture',
    'succeeded',
    'canceled',
    'requires_payment_method',
  ],
  requires_confirmation: [
    'requires_payment_method',
    'requires_action',
    'processing',
    'requires_capture',
    'succeeded',
    'canceled',
  ],
  requires_action: ['requires_payment_method', 'processing', 'requires_capture', 'succeeded', 'canceled'],
  processing: ['requires_payment_method', 'requires_capture', 'succeeded'],
  requires_capture: ['succeeded', 'canceled'],
  succeeded: [],
  canceled: [],
};

/** A PaymentIntent in a new status, checked against {@link transitions}. */
export function moveTo(
  intent: Stripe.PaymentIntent,
  status: Status,
  changes: Partial<Stripe.PaymentIntent> = {},
) {
  assert(
    transitions[intent.status]?.includes(status) === true,
    `payment intent ${intent.status} → ${status}`,
  );
  return { ...intent, ...changes, status };
}

/** What one confirmation attempt led to. */
export type Attempt =
  | {
      readonly kind: 'succeeded' | 'requires_capture' | 'requires_action' | 'processing';
      readonly intent: Stripe.PaymentIntent;
    }
  | { readonly kind: 'declined'; readonly intent: Stripe.PaymentIntent; readonly decline: Decline };
