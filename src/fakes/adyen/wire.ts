import type { Types } from '@adyen/api-library';

/**
 * An SDK type as it travels over the wire: enums as their string values, `Date` fields as ISO
 * strings. Typing the fake's bodies with `Wire<Types.checkout.PaymentResponse>` keeps them
 * checked against the SDK's own models, so a misnamed field fails tsc.
 *
 * @example
 * const body: Wire<Types.checkout.PaymentCaptureResponse> = { status: 'received', … };
 */
export type Wire<T> = T extends Date
  ? string
  : T extends string
    ? `${T}`
    : T extends readonly (infer E)[]
      ? readonly Wire<E>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** Amount as Adyen sends it: integer minor units and an ISO 4217 code. */
export type AdyenAmount = { readonly value: number; readonly currency: string };

/** The notification item every webhook carries, as sent. */
export type NotificationItem = Wire<Types.notification.NotificationRequestItem>;

/** A parsed JSON body: the request fields a handler reads. */
export type Body = Readonly<Record<string, unknown>>;

/** A request body as Adyen reads it: a JSON object, or what is wrong with it. */
export function parseJsonObject(raw: string): Body | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return (error as Error).message;
  }
  const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  return isObject ? (parsed as Body) : 'the body must be a JSON object';
}

/** A member of a body that is a JSON object, else `undefined`. */
export function objectAt(body: Body, field: string): Body | undefined {
  const value = body[field];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : undefined;
}

/** A member that is a string, else `undefined`. */
export function stringAt(body: Body | undefined, field: string): string | undefined {
  const value = body?.[field];
  return typeof value === 'string' ? value : undefined;
}

/** A member that is a string, or a number or boolean written as one (Adyen's string maps). */
export function textAt(body: Body | undefined, field: string): string | undefined {
  const value = body?.[field];
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

// Virtual time stands still within a request, which formats the same instant several times.
let lastIso = { ms: Number.NaN, text: '' };

/** Virtual milliseconds as an ISO 8601 instant in UTC. */
export function isoAt(ms: number): string {
  if (ms !== lastIso.ms) lastIso = { ms, text: new Date(ms).toISOString() };
  return lastIso.text;
}

/** Adyen's recurring processing models. */
export const recurringModels = ['CardOnFile', 'Subscription', 'UnscheduledCardOnFile'] as const;
export type RecurringModel = (typeof recurringModels)[number];
