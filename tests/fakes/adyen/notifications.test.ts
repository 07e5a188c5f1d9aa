import { describe, expect, it } from 'vitest';
import {
  amsterdamOffsetMinutes,
  eventDateOf,
  eventIdOf,
  notificationBody,
  notificationItem,
} from '../../../src/fakes/adyen/notifications.ts';
import { brandOf, luhnValid, triggerOf } from '../../../src/fakes/adyen/test-cards.ts';

describe('eventDate in Amsterdam time, as Adyen writes it', () => {
  it('is +01:00 in winter and +02:00 in summer, switching on the last Sundays of March and October', () => {
    expect(eventDateOf(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01T01:00:00+01:00');
    expect(eventDateOf(Date.UTC(2026, 6, 1, 12, 30, 5))).toBe('2026-07-01T14:30:05+02:00');
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    expect(amsterdamOffsetMinutes(Date.UTC(2026, 2, 29, 0, 59))).toBe(60);
    expect(amsterdamOffsetMinutes(Date.UTC(2026, 2, 29, 1, 0))).toBe(120);
    expect(amsterdamOffsetMinutes(Date.UTC(2026, 9, 25, 0, 59))).toBe(120);
    expect(amsterdamOffsetMinutes(Date.UTC(2026, 9, 25, 1, 0))).toBe(60);
  });

  it('builds items with string success, empty reason by default, and one item per body', () => {
    const item = notificationItem(
      {
        eventCode: 'CAPTURE',
        pspReference: 'P1',
        originalReference: 'P0',
        merchantAccountCode: 'M',
        merchantReference: 'r',
        amount: { value: 5, currency: 'EUR' },
        success: false,
      },
      0,
    );
    expect(item).toMatchObject({ success: 'false', reason: '', originalReference: 'P0' });
    expect(eventIdOf(item)).toBe('P1:CAPTURE:false');
    expect(JSON.parse(notificationBody(item))).toEqual({
      live: 'false',
      notificationItems: [{ NotificationRequestItem: item }],
    });
  });
});

describe('test cards', () => {
  it('check Luhn and name brands', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect([brandOf('4111111111111111'), brandOf('5555444433331111'), brandOf('370000000000002')]).toEqual([
      'visa',
      'mc',
      'amex',
    ]);
  });

  it('read triggers by holder name (any case) or acquirer response code', () => {
    expect(triggerOf('not_enough_balance', undefined)).toMatchObject({ resultCode: 'Refused', code: 12 });
    expect(triggerOf('John Smith', '6')).toMatchObject({ refusalReason: 'Expired Card' });
    expect(triggerOf('John Smith', undefined)).toBeUndefined();
  });
});
