import type { Types } from '@adyen/api-library';
import type { AdyenAmount, NotificationItem, Wire } from './wire.ts';

/** The event codes the fake sends (a subset of the SDK's `EventCodeEnum`). */
export type EventCode = Extract<
  NotificationItem['eventCode'],
  | 'AUTHORISATION'
  | 'CAPTURE'
  | 'CAPTURE_FAILED'
  | 'REFUND'
  | 'REFUND_FAILED'
  | 'CANCELLATION'
  | 'CANCEL_OR_REFUND'
  | 'TECHNICAL_CANCEL'
  | 'NOTIFICATION_OF_CHARGEBACK'
  | 'CHARGEBACK'
  | 'CHARGEBACK_REVERSED'
  | 'AUTHORISATION_ADJUSTMENT'
>;

/** What a handler knows about a notification before it is dated and shaped. */
export interface ItemDraft {
  readonly eventCode: EventCode;
  readonly pspReference: string;
  readonly originalReference?: string;
  readonly merchantAccountCode: string;
  readonly merchantReference: string;
  readonly amount: AdyenAmount;
  readonly success: boolean;
  readonly reason?: string;
  readonly paymentMethod?: string;
  readonly operations?: readonly ('CANCEL' | 'CAPTURE' | 'REFUND')[];
  readonly additionalData?: Readonly<Record<string, string>>;
}

const minuteMs = 60_000;

// The last Sunday of a month, 01:00 UTC: when EU summer time starts (March) and ends (October).
function lastSundayOneAmUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Amsterdam's UTC offset at an instant, in minutes (CET +60, CEST +120). */
export function amsterdamOffsetMinutes(ms: number): 60 | 120 {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayOneAmUtc(year, 2) && ms < lastSundayOneAmUtc(year, 9) ? 120 : 60;
}

/**
 * `eventDate` as Adyen writes it: ISO 8601 in Amsterdam local time with its offset, to the
 * second, e.g. `2026-01-01T01:00:00+01:00`.
 */
export function eventDateOf(ms: number): string {
  if (ms === lastEventDate.ms) return lastEventDate.text;
  const offset = amsterdamOffsetMinutes(ms);
  const local = new Date(ms + offset * minuteMs).toISOString().slice(0, 19);
  const hours = String(Math.floor(offset / 60)).padStart(2, '0');
  lastEventDate = { ms, text: `${local}+${hours}:${String(offset % 60).padStart(2, '0')}` };
  return lastEventDate.text;
}

// The same instant is dated for every notification of a request (virtual time stands still).
let lastEventDate = { ms: Number.NaN, text: '' };

/** A dated, Adyen-shaped notification item (unsigned: each webhook signs it with its own key). */
export function notificationItem(draft: ItemDraft, nowMs: number): NotificationItem {
  const item: NotificationItem = {
    amount: { currency: draft.amount.currency, value: draft.amount.value },
    eventCode: draft.eventCode,
    eventDate: eventDateOf(nowMs),
    merchantAccountCode: draft.merchantAccountCode,
    merchantReference: draft.merchantReference,
    pspReference: draft.pspReference,
    reason: draft.reason ?? '',
    success: draft.success ? 'true' : 'false',
  };
  return {
    ...item,
    ...(draft.originalReference === undefined ? {} : { originalReference: draft.originalReference }),
    ...(draft.paymentMethod === undefined ? {} : { paymentMethod: draft.paymentMethod }),
    ...(draft.operations === undefined ? {} : { operations: [...draft.operations] }),
    additionalData: { ...draft.additionalData },
  };
}

/** The JSON body of one webhook POST: one item per request, in Adyen's array all the same. */
export function notificationBody(item: NotificationItem): string {
  const body: Wire<Types.notification.Notification> = {
    live: 'false',
    notificationItems: [{ NotificationRequestItem: item }],
  };
  return JSON.stringify(body);
}

/**
 * The event id fakepsp gives a notification: Adyen has none, so it is the item's own identity
 * (pspReference, eventCode, success); redeliveries of one notification keep it.
 */
export function eventIdOf(item: NotificationItem): string {
  return `${item.pspReference}:${item.eventCode}:${item.success}`;
}
