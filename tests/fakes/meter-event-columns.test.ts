import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interned, MeterEventColumns } from '../../src/fakes/stripe/metering/event-columns.ts';
import { IdentifierIndex } from '../../src/fakes/stripe/metering/identifier-index.ts';
import type { MeterEventRow } from '../../src/fakes/stripe/metering/records.ts';

// Few distinct identifiers (so they repeat), unicode included, and enough rows to rehash.
const identifier = fc.oneof(
  fc.constantFrom('a', 'b', 'usage-1', 'usage-2', 'ünïcødé-☃', ''),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
);

describe('IdentifierIndex', () => {
  it('keeps the latest row per identifier across many rehashes', () => {
    const index = new IdentifierIndex();
    for (let row = 0; row < 20_000; row++) index.add(`usage-${row % 7_001}`);
    expect(index.latest('usage-0')).toBe(14_002);
    expect(index.latest('usage-7000')).toBe(14_001);
    expect(index.latest('usage-6000')).toBe(13_001);
    expect(index.latest('usage-7001')).toBeUndefined();
    expect(index.identifier(19_999)).toBe(`usage-${19_999 % 7_001}`);
  });

  it('keeps identifiers whole when they do not fit in what is left of a chunk', () => {
    const index = new IdentifierIndex();
    const long = (letter: string) => letter.repeat(600_000);
    for (const letter of ['a', 'b', 'c', 'a']) index.add(long(letter));
    index.add('short');
    expect([0, 1, 2, 3, 4].map((row) => index.identifier(row).slice(0, 3))).toEqual([
      'aaa',
      'bbb',
      'ccc',
      'aaa',
      'sho',
    ]);
    expect(index.identifier(1)).toBe(long('b'));
    expect(index.latest(long('a'))).toBe(3);
    expect(index.latest('short')).toBe(4);
  });

  it('gives back every identifier and the latest row for each, as a Map would', () => {
    fc.assert(
      fc.property(fc.array(identifier, { minLength: 1, maxLength: 3_000 }), (identifiers) => {
        const index = new IdentifierIndex();
        const latest = new Map<string, number>();
        identifiers.forEach((id, row) => {
          index.add(id);
          latest.set(id, row);
        });
        identifiers.forEach((id, row) => expect(index.identifier(row)).toBe(id));
        for (const [id, row] of latest) expect(index.latest(id)).toBe(row);
        expect(index.latest('never-used-identifier')).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });
});

const row = (index: number, fields: Partial<MeterEventRow>): MeterEventRow => ({
  index,
  identifier: `id-${index}`,
  eventName: 'tokens',
  timestamp: 1_000 + index,
  receivedAt: 2_000,
  reportedAt: 2_000,
  meter: 'mtr_1',
  customer: 'cus_1',
  scaledValue: 3n,
  status: 'accepted',
  errorCode: null,
  source: 'v2_stream',
  ...fields,
});

describe('MeterEventColumns', () => {
  it('reads back what was appended, values past 64 bits and status changes included', () => {
    const columns = new MeterEventColumns(new Interned());
    const huge = 10n ** 27n;
    const rows = [
      row(0, {}),
      row(1, {
        scaledValue: huge,
        customer: 'cus_2',
        meter: null,
        status: 'rejected',
        errorCode: 'no_meter',
      }),
      row(2, { identifier: 'id-0', timestamp: 5_000, source: 'v1' }),
    ];
    for (const each of rows) columns.append(each);
    columns.setStatus(0, 'cancelled');
    expect(columns.row(0)).toEqual({ ...rows[0], status: 'cancelled' });
    expect(columns.row(1)).toEqual(rows[1]);
    expect(columns.row(2)).toEqual(rows[2]);
    expect(columns.latestWithIdentifier('id-0')).toBe(2);
    expect(
      columns.acceptedIn({ meter: 'mtr_1', customer: 'cus_1', startSeconds: 0, endSeconds: 9_999 }),
    ).toEqual([2]);
    expect(
      columns.acceptedIn({ meter: 'mtr_1', customer: 'cus_1', startSeconds: 0, endSeconds: 5_000 }),
    ).toEqual([]);
    expect(columns.failedBetween(2_000, 2_001)).toEqual([1]);
  });

  it("finds a meter and customer's accepted events, and the failed ones, as a scan of every row would", () => {
    const appended = fc.record({
      meter: fc.constantFrom('mtr_1', 'mtr_2', null),
      customer: fc.constantFrom('cus_1', 'cus_2', 'cus_3', null),
      timestamp: fc.integer({ min: 0, max: 20 }),
      reportedAt: fc.integer({ min: 0, max: 20 }),
      status: fc.constantFrom('accepted' as const, 'rejected' as const),
      receivedAt: fc.integer({ min: 0, max: 20 }),
      errorCode: fc.constantFrom(null, 'no_meter' as const, 'meter_event_invalid_value' as const),
    });
    const window = fc.record({
      meter: fc.constantFrom('mtr_1', 'mtr_2', 'mtr_unknown'),
      customer: fc.constantFrom('cus_1', 'cus_2', 'cus_3', 'cus_unknown'),
      startSeconds: fc.integer({ min: 0, max: 20 }),
      endSeconds: fc.integer({ min: 0, max: 21 }),
      reportedBy: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(appended, { maxLength: 60 }),
        fc.array(fc.nat(59), { maxLength: 10 }),
        fc.array(window, { minLength: 1, maxLength: 5 }),
        (rows, cancelled, windows) => {
          const columns = new MeterEventColumns(new Interned());
          rows.forEach((fields, index) => columns.append(row(index, fields)));
          for (const index of cancelled) if (index < rows.length) columns.setStatus(index, 'cancelled');
          for (const each of windows) {
            const scanned = rows
              .map((_, index) => columns.row(index))
              .filter(
                (one) =>
                  one.meter === each.meter &&
                  one.customer === each.customer &&
                  one.status === 'accepted' &&
                  one.timestamp >= each.startSeconds &&
                  one.timestamp < each.endSeconds &&
                  one.reportedAt <= (each.reportedBy ?? Number.POSITIVE_INFINITY),
              )
              .map((one) => one.index);
            expect(columns.acceptedIn(each)).toEqual(scanned);
            const failed = rows
              .map((_, index) => columns.row(index))
              .filter(
                (one) =>
                  one.errorCode !== null &&
                  one.receivedAt >= each.startSeconds &&
                  one.receivedAt < each.endSeconds,
              )
              .map((one) => one.index);
            expect(columns.failedBetween(each.startSeconds, each.endSeconds)).toEqual(failed);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
