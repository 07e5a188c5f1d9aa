import type { Types } from '@adyen/api-library';
import { fail } from './errors.ts';
import {
  optionalString,
  readAmount,
  readCaptureDelayHours,
  readMerchantAccount,
  readMetadata,
} from './params.ts';
import type { AdyenContext, AdyenHandler, AdyenRuntime } from './runtime.ts';
import type { AdyenPayment, AdyenPaymentLink } from './store.ts';
import { payHostedPage } from './hosted-page.ts';
import { notify } from './webhooks.ts';
import { stringAt, type Body, type Wire } from './wire.ts';

/** A link lives 24 hours unless `expiresAt` says otherwise, and at most 70 days. */
const linkLifetimeMs = 24 * 3_600_000;
const linkLifetimeMaxMs = 70 * 24 * 3_600_000;

/** An instant as Adyen writes a link's times: ISO 8601 to the second, in UTC. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A link's status now: an active link past `expiresAt` has expired. */
function currentStatus(runtime: AdyenRuntime, link: AdyenPaymentLink): AdyenPaymentLink['status'] {
  if (link.status === 'active' && runtime.sim.clock.nowMs() >= Date.parse(link.expiresAt)) return 'expired';
  return link.status;
}

function linkResponse(
  runtime: AdyenRuntime,
  link: AdyenPaymentLink,
): Wire<Types.checkout.PaymentLinkResponse> {
  const { description, shopperReference, shopperEmail, returnUrl, captureDelayHours } = link;
  return {
    amount: link.amount,
    ...(captureDelayHours === null ? {} : { captureDelayHours }),
    ...(description === null ? {} : { description }),
    expiresAt: link.expiresAt,
    id: link.id,
    ...(link.captureMode === 'manual' ? { manualCapture: true } : {}),
    merchantAccount: link.merchantAccount,
    ...(Object.keys(link.metadata).length === 0 ? {} : { metadata: link.metadata }),
    reference: link.reference,
    ...(returnUrl === null ? {} : { returnUrl }),
    reusable: link.reusable,
    ...(shopperEmail === null ? {} : { shopperEmail }),
    ...(shopperReference === null ? {} : { shopperReference }),
    status: currentStatus(runtime, link),
    updatedAt: link.updatedAt,
    url: link.url,
  };
}

/** `expiresAt`: an instant with its offset, after now and within 70 days; 24 hours from now if absent. */
function readExpiresAt(body: Body, nowMs: number): string {
  const text = optionalString(body, 'expiresAt');
  if (text === null) return isoSeconds(nowMs + linkLifetimeMs);
  const at = Date.parse(text);
  if (!Number.isFinite(at) || at <= nowMs || at > nowMs + linkLifetimeMaxMs)
    fail({ kind: 'field_invalid', field: 'expiresAt' });
  return isoSeconds(at);
}

function readLink(runtime: AdyenRuntime, id: string): AdyenPaymentLink {
  const link = runtime.store.paymentLinks.get(id);
  if (link === undefined) fail({ kind: 'not_found_by_id', what: 'Payment link', id });
  return link;
}

/** POST /paymentLinks (201): a link to Adyen's hosted page; the harness plays the shopper (`pay_payment_link`). */
export const createPaymentLinkHandler: AdyenHandler = (context: AdyenContext) => {
  const { body, nowMs } = context;
  const merchantAccount = readMerchantAccount(context, body.merchantAccount);
  const amount = readAmount(body);
  const reference = stringAt(body, 'reference');
  if (reference === undefined || reference.trim() === '') fail({ kind: 'reference_missing' });
  if (body.reusable !== undefined && typeof body.reusable !== 'boolean')
    fail({ kind: 'field_invalid', field: 'reusable' });
  if (body.manualCapture !== undefined && typeof body.manualCapture !== 'boolean')
    fail({ kind: 'field_invalid', field: 'manualCapture' });
  const captureDelayHours = readCaptureDelayHours(body);
  const id = `PL${context.pspReference}`;
  const link: AdyenPaymentLink = {
    id,
    url: `https://test.adyen.link/${id}`,
    merchantAccount,
    reference,
    amount,
    description: optionalString(body, 'description'),
    shopperReference: optionalString(body, 'shopperReference'),
    shopperEmail: optionalString(body, 'shopperEmail'),
    returnUrl: optionalString(body, 'returnUrl'),
    reusable: body.reusable === true,
    metadata: readMetadata(body),
    captureMode:
      body.manualCapture === true ? 'manual' : (captureDelayHours ?? 0) > 0 ? 'delayed' : 'automatic',
    captureDelayHours,
    expiresAt: readExpiresAt(body, nowMs),
    status: 'active',
    updatedAt: isoSeconds(nowMs),
    payments: [],
  };
  context.runtime.store.paymentLinks.set(id, link);
  return { status: 201, body: linkResponse(context.runtime, link) };
};

/** GET /paymentLinks/{linkId}. */
export const getPaymentLinkHandler: AdyenHandler = (context, path) => ({
  status: 200,
  body: linkResponse(context.runtime, readLink(context.runtime, path.linkId!)),
});

/**
 * PATCH /paymentLinks/{linkId} `{"status": "expired"}`, the one change Adyen allows: the link can no
 * longer be paid. fakepsp's choice where Adyen documents nothing: an expired link stays so, a
 * completed one cannot be expired.
 */
export const updatePaymentLinkHandler: AdyenHandler = (context, path) => {
  const { runtime } = context;
  const link = readLink(runtime, path.linkId!);
  if (stringAt(context.body, 'status') !== 'expired') fail({ kind: 'field_invalid', field: 'status' });
  const status = currentStatus(runtime, link);
  if (status === 'completed' || status === 'paymentPending')
    fail({ kind: 'field_invalid', field: 'status', detail: `Payment link ${link.id} is ${status}` });
  const expired: AdyenPaymentLink =
    link.status === 'expired' ? link : { ...link, status: 'expired', updatedAt: isoSeconds(context.nowMs) };
  runtime.store.paymentLinks.set(link.id, expired);
  return { status: 200, body: linkResponse(runtime, expired) };
};

/**
 * The shopper pays a link on the hosted page with a test card (the harness's `pay_payment_link`):
 * an authorisation like `/payments`, its AUTHORISATION carrying `paymentLinkId`. A single-use link
 * is then `completed` (`paymentPending` while the payment is `Received`); a refused shopper may try again.
 */
export function payPaymentLink(
  runtime: AdyenRuntime,
  input: { readonly linkId: string; readonly holderName?: string; readonly cardNumber?: string },
): AdyenPayment {
  const link = readLink(runtime, input.linkId);
  if (currentStatus(runtime, link) !== 'active')
    fail({ kind: 'not_found_by_id', what: 'Payment link', id: input.linkId });
  const page = {
    merchantAccount: link.merchantAccount,
    merchantReference: link.reference,
    amount: link.amount,
    shopperReference: link.shopperReference,
    recurringProcessingModel: null,
    storePaymentMethod: false,
    captureMode: link.captureMode,
    captureDelayHours: link.captureDelayHours,
    metadata: link.metadata,
    sessionId: null,
  };
  const payment = payHostedPage(
    runtime,
    page,
    { ...input, holderNameDefault: 'Link Shopper' },
    (draft, objectId) => {
      const linked = draft.eventCode === 'AUTHORISATION';
      const item = linked
        ? { ...draft, additionalData: { ...draft.additionalData, paymentLinkId: link.id } }
        : draft;
      notify(runtime, item, objectId, { requestId: null, idempotencyKey: null });
    },
  );
  const settled = link.reusable || payment.resultCode === 'Refused' || payment.resultCode === 'Error';
  const status = settled ? 'active' : payment.resultCode === 'Received' ? 'paymentPending' : 'completed';
  const nowMs = runtime.sim.clock.nowMs();
  const updatedAt = status === link.status ? link.updatedAt : isoSeconds(nowMs);
  runtime.store.paymentLinks.set(link.id, {
    ...link,
    status,
    updatedAt,
    payments: [...link.payments, payment.pspReference],
  });
  return payment;
}
