import { authorise, type AuthoriseInput } from './authorise.ts';
import type { AdyenRuntime, Emit } from './runtime.ts';
import type { AdyenPayment } from './store.ts';
import { readCard, triggerOf } from './test-cards.ts';
import { notify } from './webhooks.ts';

/** What a hosted page (a Checkout session, a payment link) charges, and to whom. */
export type HostedPage = Pick<
  AuthoriseInput,
  | 'merchantAccount'
  | 'merchantReference'
  | 'amount'
  | 'shopperReference'
  | 'recurringProcessingModel'
  | 'storePaymentMethod'
  | 'captureMode'
  | 'captureDelayHours'
  | 'metadata'
  | 'sessionId'
>;

/** The shopper at the page, as a harness action plays them: a test card, Visa unless named. */
export interface PageShopper {
  readonly holderName?: string;
  readonly cardNumber?: string;
}

/**
 * The shopper pays a hosted page with a test card: an authorisation like `/payments` with no API
 * request behind it, its notifications sent once the action commits (through `send`, which may
 * add to them).
 */
export function payHostedPage(
  runtime: AdyenRuntime,
  page: HostedPage,
  shopper: PageShopper & { readonly holderNameDefault: string },
  send: Emit = (draft, objectId) =>
    notify(runtime, draft, objectId, { requestId: null, idempotencyKey: null }),
): AdyenPayment {
  const card = readCard({
    number: shopper.cardNumber ?? '4111111111111111',
    expiryMonth: '03',
    expiryYear: '2030',
    holderName: shopper.holderName ?? shopper.holderNameDefault,
  });
  const input: AuthoriseInput = {
    ...page,
    pspReference: runtime.ids.adyenPspReference(),
    shopperInteraction: 'Ecommerce',
    card,
    stored: null,
    trigger: triggerOf(card.holderName, undefined),
    requestId: null,
    idempotencyKey: null,
  };
  return authorise(runtime, input, send).payment;
}
