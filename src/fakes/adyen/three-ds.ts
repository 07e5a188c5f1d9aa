import type { Types } from '@adyen/api-library';
import type { JsonValue } from '../../sim/canonical-json.ts';
import type { Table } from '../common/unit-of-work.ts';
import { authorise, paymentRecordOf, type AuthoriseInput } from './authorise.ts';
import { fail } from './errors.ts';
import type { AdyenContext, AdyenHandler, AdyenRuntime } from './runtime.ts';
import { holderNameOutcomes } from './test-cards.ts';
import { objectAt, stringAt, textAt, type Body, type Wire } from './wire.ts';

/**
 * Cards Adyen's test environment has enrolled in 3D Secure 2
 * (docs.adyen.com/development-resources/testing/3d-secure-2-authentication): a shopper-present
 * payment with one waits for the shopper's authentication.
 */
export const threeDS2TestCards: ReadonlySet<string> = new Set([
  '4917610000000000',
  '5454545454545454',
  '2222400010000008',
  '371449635398431',
  '6011111111111117',
  '3566111111111113',
  '30569309025904',
  '5000550000000029',
  '4360000001000005',
]);

/** A payment waiting for its shopper's 3D Secure, and (once they are done) how it went. */
interface PendingAuthentication {
  readonly pspReference: string;
  readonly input: AuthoriseInput;
  /** `redirect`: the issuer's page (`RedirectShopper`); `native`: the 3DS2 Component (`ChallengeShopper`). */
  readonly flow: 'redirect' | 'native';
  readonly paymentData: string;
  readonly completed: { readonly token: string; readonly authenticated: boolean } | null;
  /** The `/payments/details` answer, given again to a repeat of the same details. */
  readonly answer: JsonValue | null;
}

// Kept beside the store's tables rather than in its dump: nothing a client could list.
const pendingOf = new WeakMap<AdyenRuntime, Table<PendingAuthentication>>();

function pending(runtime: AdyenRuntime): Table<PendingAuthentication> {
  let found = pendingOf.get(runtime);
  if (found === undefined) pendingOf.set(runtime, (found = runtime.store.unit.table()));
  return found;
}

/**
 * Whether a `/payments` request waits for 3D Secure: an enrolled test card typed by a shopper
 * who is there (Ecommerce, not a stored card's ContAuth), unless the request says `never`.
 */
export function needsAuthentication(body: Body, input: AuthoriseInput): boolean {
  const attempt = stringAt(objectAt(body, 'authenticationData'), 'attemptAuthentication');
  if (attempt === 'never' || input.stored !== null || input.shopperInteraction !== 'Ecommerce') return false;
  const method = objectAt(body, 'paymentMethod');
  const typed = stringAt(method, 'encryptedCardNumber')?.replace(/^test_/, '') ?? textAt(method, 'number');
  return typed !== undefined && threeDS2TestCards.has(typed.replace(/\s/g, ''));
}

const checkoutShopper = 'https://checkoutshopper-test.adyen.com/checkoutshopper';

/**
 * Starts 3D Secure: the payment waits (`RedirectShopper`, or `ChallengeShopper` when the request
 * asks for the native flow with `threeDSRequestData.nativeThreeDS: preferred`) with the `action`
 * the client hands to the shopper. No AUTHORISATION goes out until `/payments/details`.
 */
export function startAuthentication(
  context: AdyenContext,
  input: AuthoriseInput,
): Wire<Types.checkout.PaymentResponse> {
  const { runtime } = context;
  const authentication = objectAt(context.body, 'authenticationData') ?? {};
  const native = stringAt(objectAt(authentication, 'threeDSRequestData'), 'nativeThreeDS') === 'preferred';
  const paymentData = `Ab02b4c0!${runtime.random.string(48)}`;
  const resultCode = native ? 'ChallengeShopper' : 'RedirectShopper';
  const payment = paymentRecordOf(input, runtime.sim.clock.nowMs(), {
    resultCode,
    refusalReason: null,
    refusalReasonCode: null,
    status: 'authenticating',
    storedPaymentMethodId: null,
    tokenization: null,
    autoCapturedAt: null,
    authCode: null,
  });
  runtime.store.payments.set(payment.pspReference, payment);
  pending(runtime).set(payment.pspReference, {
    pspReference: payment.pspReference,
    input,
    flow: native ? 'native' : 'redirect',
    paymentData,
    completed: null,
    answer: null,
  });
  const action: Wire<Types.checkout.CheckoutThreeDS2Action> | Wire<Types.checkout.CheckoutRedirectAction> =
    native
      ? {
          authorisationToken: runtime.random.string(32),
          paymentData,
          paymentMethodType: 'scheme',
          subtype: 'challenge',
          token: Buffer.from(JSON.stringify({ threeDSServerTransID: payment.pspReference })).toString(
            'base64',
          ),
          type: 'threeDS2',
        }
      : {
          method: 'GET',
          paymentMethodType: 'scheme',
          type: 'redirect',
          url: `${checkoutShopper}/threeDS/redirect?MD=${encodeURIComponent(paymentData)}`,
        };
  return {
    action: action as Wire<Types.checkout.PaymentResponseAction>,
    amount: input.amount,
    merchantReference: input.merchantReference,
    pspReference: payment.pspReference,
    resultCode,
  };
}

/**
 * The shopper completes (or fails) the challenge on the issuer's page or in the 3DS2 Component —
 * a browser step, so a harness action, as Stripe's `complete_3ds` is. Returns what the browser
 * hands the merchant: `redirectResult` (appended to the `returnUrl`) or the Component's
 * `threeDSResult`, to submit to `/payments/details`.
 */
export function completeThreeDS(
  runtime: AdyenRuntime,
  input: { readonly pspReference: string; readonly outcome: 'success' | 'failure' },
): JsonValue {
  const waiting = pending(runtime).get(input.pspReference);
  if (waiting === undefined || waiting.completed !== null) fail({ kind: 'original_reference_invalid' });
  const authenticated = input.outcome === 'success';
  const token = Buffer.from(
    JSON.stringify({ transStatus: authenticated ? 'Y' : 'N', ref: runtime.random.string(24) }),
  ).toString('base64');
  pending(runtime).set(waiting.pspReference, { ...waiting, completed: { token, authenticated } });
  runtime.sim.journal.append({
    kind: 'action',
    psp: 'adyen',
    data: { action: 'complete_3ds', pspReference: input.pspReference, outcome: input.outcome },
  });
  return waiting.flow === 'redirect' ? { redirectResult: token } : { threeDSResult: token };
}

/** The payment a `/payments/details` request continues, by the token its details carry. */
function continued(runtime: AdyenRuntime, details: Body, paymentData: string | undefined) {
  const token =
    stringAt(details, 'redirectResult') ??
    stringAt(details, 'threeDSResult') ??
    stringAt(details, 'threeds2.challengeResult');
  if (token === undefined)
    fail({
      kind: 'field_invalid',
      field: 'details',
      detail: 'Invalid payment details: no redirectResult or threeDSResult',
    });
  for (const waiting of pending(runtime).values()) {
    const sameData = paymentData === undefined || paymentData === waiting.paymentData;
    if (waiting.completed?.token === token && sameData) return { waiting };
  }
  return fail({
    kind: 'field_invalid',
    field: 'details',
    detail: 'Invalid payment details: the result names no payment awaiting authentication',
  });
}

/**
 * POST /payments/details `{details: {redirectResult | threeDSResult}, paymentData?}`: the
 * authorisation continues after the shopper's 3D Secure — `Authorised` (or whatever the card's
 * test trigger says) when they passed, `Refused` "3D Not Authenticated" when they failed — with
 * its AUTHORISATION webhook. The same details again get the same answer.
 */
export const paymentDetailsHandler: AdyenHandler = (context) => {
  const details = objectAt(context.body, 'details');
  if (details === undefined)
    fail({ kind: 'field_invalid', field: 'details', detail: "Required field 'details' is not provided." });
  const { waiting } = continued(context.runtime, details, stringAt(context.body, 'paymentData'));
  if (waiting.answer !== null) return { status: 200, body: waiting.answer };
  const input: AuthoriseInput = waiting.completed!.authenticated
    ? waiting.input
    : { ...waiting.input, trigger: holderNameOutcomes.NOT_3D_AUTHENTICATED! };
  const { response } = authorise(context.runtime, input, (draft, objectId) => context.emit(draft, objectId));
  const answer = JSON.parse(JSON.stringify(response)) as JsonValue;
  pending(context.runtime).set(waiting.pspReference, { ...waiting, answer });
  return { status: 200, body: answer };
};
