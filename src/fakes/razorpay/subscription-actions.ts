import * as z from 'zod';
import type { AdminAction } from '../common/admin.ts';
import { action, defined, fields } from './action-kit.ts';
import { confirmToken } from './payment-flow.ts';
import { payPaymentLink } from './payment-link-checkout.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { authenticateSubscription } from './subscription-authentication.ts';
import { collect } from './subscription-cycle.ts';
import { moveTo } from './subscription-status.ts';
import { subscriptionOf } from './subscriptions.ts';
import { testCard } from './test-cards.ts';
import { AdminRefusal, runAction } from './work.ts';

const { id, card } = fields;

/**
 * The customer gives a pending or halted subscription another card: a pending one's unpaid
 * invoice is charged on it at once; a halted one becomes active again, its past invoices left
 * unpaid, as Razorpay documents.
 */
function changeCard(runtime: RazorpayRuntime, subscriptionId: string, cardNumber: string) {
  return runAction(runtime, 'change_card', { subscriptionId }, (context) => {
    const record = subscriptionOf(context, subscriptionId);
    const { subscription } = record;
    if (subscription.status !== 'pending' && subscription.status !== 'halted')
      throw new AdminRefusal(
        `subscription ${subscription.id} is ${subscription.status}, not pending or halted`,
      );
    const card = testCard(cardNumber);
    const token = confirmToken(context, {
      customerId: subscription.customer_id!,
      card,
      cardName: '',
      paymentId: null,
      maxAmount: null,
      expireAt: subscription.end_at,
    });
    record.tokenId = token.token.id;
    record.cardNumber = card.number;
    const due = context.runtime.store.invoices.get(record.dueInvoiceId ?? '');
    if (subscription.status === 'pending' && due?.invoice.status === 'issued') collect(context, record, due);
    else {
      moveTo(subscription, 'active');
      subscription.auth_attempts = 0;
      subscription.charge_at = subscription.current_end;
      record.dueInvoiceId = null;
      context.emit({ event: 'subscription.activated', subscription });
    }
    return subscription;
  });
}

/** A subscription offer, made in the dashboard: a flat amount or a percentage off the plan. */
function createOffer(
  runtime: RazorpayRuntime,
  input: {
    readonly name?: string | undefined;
    readonly discount_type: 'flat' | 'percentage';
    readonly discount: number;
    readonly max_discount?: number | undefined;
    readonly payments?: number | undefined;
  },
) {
  if (input.discount_type === 'percentage' && input.discount > 100)
    throw new AdminRefusal('a percentage discount is at most 100');
  const offer = {
    id: runtime.ids.razorpay('offer_'),
    name: input.name ?? 'Offer',
    discountType: input.discount_type,
    discount: input.discount,
    maxDiscount: input.max_discount ?? null,
    payments: input.payments ?? null,
  };
  runtime.store.unit.run(() => runtime.store.offers.set(offer.id, offer));
  runtime.sim.journal.append({
    kind: 'action',
    psp: 'razorpay',
    data: { action: 'create_offer', offerId: offer.id },
  });
  return { id: offer.id, entity: 'offer', name: offer.name };
}

/** The customer's and the dashboard's part in Razorpay Subscriptions and Payment Links. */
export function subscriptionAdminActions(runtime: RazorpayRuntime): Readonly<Record<string, AdminAction>> {
  return {
    authenticate_subscription: action(
      z.strictObject({
        subscription_id: id,
        card,
        outcome: z.enum(['success', 'failure']).optional(),
        customer_id: id.optional(),
        email: z.string().optional(),
        contact: z.string().optional(),
        name: z.string().optional(),
      }),
      (input) =>
        authenticateSubscription(
          runtime,
          defined({
            subscriptionId: input.subscription_id,
            card: input.card,
            outcome: input.outcome,
            customerId: input.customer_id,
            email: input.email,
            contact: input.contact,
            name: input.name,
          }),
        ),
    ),
    pay_payment_link: action(
      z.strictObject({
        payment_link_id: id,
        card,
        amount: fields.amount,
        outcome: z.enum(['success', 'failure']).optional(),
      }),
      (input) =>
        payPaymentLink(
          runtime,
          defined({
            paymentLinkId: input.payment_link_id,
            card: input.card,
            amount: input.amount,
            outcome: input.outcome,
          }),
        ),
    ),
    change_card: action(z.strictObject({ subscription_id: id, card: fields.card.unwrap() }), (input) =>
      changeCard(runtime, input.subscription_id, input.card),
    ),
    create_offer: action(
      z.strictObject({
        name: z.string().optional(),
        discount_type: z.enum(['flat', 'percentage']),
        discount: z.number().int().positive(),
        max_discount: z.number().int().positive().optional(),
        payments: z.number().int().positive().optional(),
      }),
      (input) => createOffer(runtime, input),
    ),
  };
}
