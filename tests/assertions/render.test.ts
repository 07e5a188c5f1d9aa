import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/assertions/reconcile.ts';
import { renderJson } from '../../src/assertions/render/json.ts';
import { renderMarkdown } from '../../src/assertions/render/markdown.ts';
import { renderText } from '../../src/assertions/render/text.ts';
import { fakepspMatchers } from '../../src/assertions/vitest.ts';
import { chargeJournal, invoiceTxn, movement, paymentTxn, stripe } from './builders.ts';

expect.extend(fakepspMatchers);

const charge = movement('capture', 'ch_1', 3000, { requestIds: ['req_1'] });
const broken = reconcile({
  ledger: { transactions: [invoiceTxn('t_inv', 'c_1', 3000)] },
  psps: [stripe([charge])],
  journal: chargeJournal('ch_1'),
});
const clean = reconcile({
  ledger: { transactions: [invoiceTxn('t_inv', 'c_1', 3000), paymentTxn('t_pay', 'c_1', 'ch_1', 3000)] },
  psps: [stripe([charge])],
});

describe('renderers', () => {
  it('text: the verdict, the break, its amounts and journal lines; colour only when asked', () => {
    const plain = renderText(broken, { color: false });
    expect(plain).toContain('✗ 1 break (missing_in_ledger ×1)');
    expect(plain).toContain('expected 30.00 USD');
    expect(plain).toContain('#2 request POST /v1/payment_intents');
    expect(plain).not.toContain('\u001b[');
    expect(renderText(broken, { color: true })).toContain('\u001b[');
    expect(renderText(clean, { color: false })).toMatch(/^✓ reconciled: 2 ledger transactions/);
  });

  it('markdown: a heading, a count table and one section per break', () => {
    const markdown = renderMarkdown(broken);
    expect(markdown).toContain('## ❌ 1 reconciliation break');
    expect(markdown).toContain('| `missing_in_ledger` | 1 |');
    expect(markdown).toContain('### 1. `missing_in_ledger`');
    expect(markdown).toContain('| expected | 30.00 USD |');
    expect(renderMarkdown(clean)).toContain('## ✅ Reconciled');
  });

  it('json: integer minor units and the witness records, parseable', () => {
    const parsed = JSON.parse(renderJson(broken)) as typeof broken;
    expect(parsed.ok).toBe(false);
    expect(parsed.breaks[0]).toMatchObject({
      kind: 'missing_in_ledger',
      expected: { amountMinor: 3000, currency: 'usd' },
    });
    expect(parsed.breaks[0]!.witness.records.map((r) => r.seq)).toEqual([2, 3, 4, 6]);
  });
});

describe('matchers', () => {
  it('toHaveBreak and its negation', () => {
    expect(broken).toHaveBreak('missing_in_ledger', { customer: 'c_1', pspObject: 'ch_1' });
    expect(broken).not.toHaveBreak('missing_in_ledger', { customer: 'c_2' });
    expect(() => expect(clean).toHaveBreak('double_charge')).toThrow(/expected a double_charge break/);
  });

  it('toBeReconciled negated fails on a clean run', () => {
    expect(() => expect(clean).not.toBeReconciled()).toThrow(/but it reconciled/);
  });

  it('refuses what is neither a run nor a result', () => {
    expect(() => expect({ nope: true }).toBeReconciled()).toThrow(/expected a run/);
  });
});
