import { describe, expect, it } from 'vitest';
import {
  formatRate,
  formatRatio,
  renderMarkdown,
  renderText,
  verdict,
  type Row,
} from '../../bench/lib/report.ts';

const row: Row = {
  figure: 1,
  name: 'Stripe POST /v1/customers · serve (express)',
  value: '4.60k req/s',
  baseline: 'bare http 52.1k req/s ±2%',
  ratio: { kind: 'throughput', value: 0.0883 },
  threshold: '≥ 0.40×',
  pass: false,
};

describe('the bench table', () => {
  it('writes throughput ratios as ×, wall times in cal, rates per cal, a missing ratio as —', () => {
    expect(formatRatio({ kind: 'throughput', value: 0.0883 })).toBe('0.09×');
    expect(formatRatio({ kind: 'calibration', value: 35.42 })).toBe('35.4 cal');
    expect(formatRatio({ kind: 'perCalibration', value: 0.5 })).toBe('0.50 /cal');
    expect(formatRatio(undefined)).toBe('—');
    expect(formatRatio({ kind: 'throughput', value: Number.NaN })).toBe('—');
  });

  it('says FAIL, pass, — (not judged) or nothing (no threshold)', () => {
    expect(verdict(row)).toBe('FAIL');
    expect(verdict({ ...row, pass: true })).toBe('pass');
    const { pass: _pass, ...unjudged } = row;
    expect(verdict(unjudged)).toBe('—');
    const { threshold: _threshold, ...free } = unjudged;
    expect(verdict(free)).toBe('');
  });

  it('shortens rates: 952 req/s, 4.60k req/s, 52.1k req/s, 1.20M ev/s', () => {
    expect([952.4, 4_600, 52_100].map((rate) => formatRate(rate))).toEqual([
      '952 req/s',
      '4.60k req/s',
      '52.1k req/s',
    ]);
    expect(formatRate(1_204_000, 'ev/s')).toBe('1.20M ev/s');
  });

  it('renders one Markdown row per figure, escaping pipes, and aligned text with the same cells', () => {
    const markdown = renderMarkdown([{ ...row, name: 'a | b' }]).split('\n');
    expect(markdown).toHaveLength(3);
    expect(markdown[2]).toBe(
      '| 1 | a \\| b | 4.60k req/s | bare http 52.1k req/s ±2% | 0.09× | ≥ 0.40× | FAIL |',
    );
    const text = renderText([
      row,
      { ...row, figure: 7, name: 'reconcile', ratio: { kind: 'calibration', value: 6.8 } },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(
      /^1 {2}Stripe POST \/v1\/customers · serve \(express\) {2}4\.60k req\/s .* 0\.09× .* FAIL$/,
    );
    expect(lines[3]).toContain('6.80 cal');
  });
});
