import { describe, expect, it } from 'vitest';
import {
  addMoney,
  compareMoney,
  currencyExponent,
  formatMoney,
  money,
  multiplyMoney,
  negateMoney,
  parseMajorUnits,
  proportionalShare,
  subtractMoney,
  sumMoney,
} from '../../src/sim/money.ts';

describe('money', () => {
  it('keeps one exponent table: JPY/KRW 0, USD/EUR/INR 2, KWD/BHD/JOD 3', () => {
    expect(['jpy', 'KRW'].map(currencyExponent)).toEqual([0, 0]);
    expect(['usd', 'eur', 'INR'].map(currencyExponent)).toEqual([2, 2, 2]);
    expect(['kwd', 'bhd', 'JOD'].map(currencyExponent)).toEqual([3, 3, 3]);
  });

  it('normalises currency codes and refuses non-codes', () => {
    expect(money(1, 'USD').currency).toBe('usd');
    expect(() => money(1, 'dollars')).toThrow(/ISO 4217/);
  });

  it('refuses floats, NaN and unsafe integers', () => {
    expect(() => money(19.99, 'usd')).toThrow(/safe integer/);
    expect(() => money(Number.NaN, 'usd')).toThrow(RangeError);
    expect(() => money(2 ** 53, 'usd')).toThrow(RangeError);
    expect(() => multiplyMoney(money(5, 'usd'), 1.5)).toThrow(RangeError);
  });

  it('adds, subtracts, sums and compares within one currency', () => {
    const a = money(1999, 'usd');
    const b = money(1, 'usd');
    expect(addMoney(a, b)).toEqual(money(2000, 'usd'));
    expect(subtractMoney(b, a)).toEqual(money(-1998, 'usd'));
    expect(sumMoney([a, b, b], 'usd')).toEqual(money(2001, 'usd'));
    expect(sumMoney([], 'eur')).toEqual(money(0, 'eur'));
    expect(compareMoney(a, b)).toBeGreaterThan(0);
    expect(negateMoney(money(0, 'usd')).amountMinor).toBe(0);
    expect(Object.is(negateMoney(money(0, 'usd')).amountMinor, -0)).toBe(false);
  });

  it('takes proportional shares rounded half away from zero', () => {
    expect(proportionalShare(7_001, 3_334, 10_000)).toBe(2_334); // 2,334.13
    expect(proportionalShare(1_001, 3_000, 9_000)).toBe(334); // 333.67
    expect(proportionalShare(1, 1, 2)).toBe(1);
    expect(proportionalShare(-1, 1, 2)).toBe(-1);
    expect(proportionalShare(-3_000, 1, 3)).toBe(-1_000);
    expect(proportionalShare(0, 5, 7)).toBe(0);
  });

  it('refuses to mix currencies', () => {
    expect(() => addMoney(money(1, 'usd'), money(1, 'eur'))).toThrow(/usd and eur/);
  });

  it('refuses a sum that leaves the safe integers', () => {
    const big = money(Number.MAX_SAFE_INTEGER, 'usd');
    expect(() => addMoney(big, money(1, 'usd'))).toThrow(RangeError);
  });

  it("formats with each currency's own exponent", () => {
    expect(formatMoney(money(1999, 'usd'))).toBe('19.99 USD');
    expect(formatMoney(money(5, 'usd'))).toBe('0.05 USD');
    expect(formatMoney(money(-500, 'jpy'))).toBe('-500 JPY');
    expect(formatMoney(money(1234, 'kwd'))).toBe('1.234 KWD');
  });

  it('parses decimal strings exactly, refusing extra decimals', () => {
    expect(parseMajorUnits('19.99', 'usd')).toEqual(money(1999, 'usd'));
    expect(parseMajorUnits('0.1', 'usd')).toEqual(money(10, 'usd'));
    expect(parseMajorUnits('500', 'jpy')).toEqual(money(500, 'jpy'));
    expect(parseMajorUnits('1.5', 'kwd')).toEqual(money(1500, 'kwd'));
    expect(() => parseMajorUnits('1.5', 'jpy')).toThrow(/0 decimals/);
    expect(() => parseMajorUnits('1e3', 'usd')).toThrow(/not a decimal/);
  });
});
