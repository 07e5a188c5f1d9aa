// Benchmark (not a test): 100k PSP objects against 200k ledger transactions.
// Run: npx node bench/reconcile.bench.ts
import { performance } from 'node:perf_hooks';
import { printResult } from './lib/proc.ts';
import type { MoneyMovement } from '../src/assertions/psp-records.ts';
import { stripeRecords, type StripeDump } from '../src/assertions/records/stripe.ts';
import { reconcile } from '../src/assertions/reconcile.ts';
import { renderText } from '../src/assertions/render/text.ts';
import { createSimulation } from '../src/sim/simulation.ts';
import type { LedgerTransaction } from '../src/sut/contract.ts';

const charges = 60_000;
const refunds = 25_000;
const disputes = 15_000;
const accruals = 40_000;
const at = '2026-01-02T00:00:00.000Z';

/** A Stripe store dump with 100k charges, refunds and disputes (plus their balance transactions). */
function dump(): StripeDump {
  const charge: object[] = [];
  const refund: object[] = [];
  const dispute: object[] = [];
  const balance: object[] = [];
  const customer: object[] = [];
  for (let c = 0; c < 1_000; c++) {
    customer.push({ id: `cus_${c}`, object: 'customer', metadata: { fakepsp_customer_id: `c_${c}` } });
  }
  for (let n = 0; n < charges; n++) {
    balance.push({
      id: `txn_c${n}`,
      object: 'balance_transaction',
      created: 1_767_312_000 + n,
      amount: 1000 + n,
    });
    charge.push({
      id: `ch_${n}`,
      object: 'charge',
      amount: 1000 + n,
      amount_captured: 1000 + n,
      captured: true,
      status: 'succeeded',
      currency: 'usd',
      customer: `cus_${n % 1_000}`,
      payment_intent: `pi_${n}`,
      balance_transaction: `txn_c${n}`,
      metadata: { order_id: `o_${n}` },
      created: 1_767_312_000 + n,
    });
  }
  for (let n = 0; n < refunds; n++) {
    refund.push({
      id: `re_${n}`,
      object: 'refund',
      amount: 100,
      charge: `ch_${n}`,
      status: 'succeeded',
      currency: 'usd',
      balance_transaction: `txn_r${n}`,
      created: 1_767_400_000 + n,
    });
  }
  for (let n = 0; n < disputes; n++) {
    const c = charges - 1 - n;
    const amount = 1000 + c;
    dispute.push({
      id: `dp_${n}`,
      object: 'dispute',
      amount,
      charge: `ch_${c}`,
      status: 'lost',
      currency: 'usd',
      balance_transactions: [{ id: `txn_d${n}`, amount: -amount, created: 1_767_500_000 + n }],
    });
  }
  return { platform: { customer, charge, refund, dispute, balance_transaction: balance } };
}

function ledger(movements: readonly MoneyMovement[]): LedgerTransaction[] {
  const transactions: LedgerTransaction[] = [];
  const post = (account: string, amount: number) => ({ account, amount, currency: 'usd' });
  for (const m of movements) {
    const customer = m.customerId!;
    const sign = m.kind === 'capture' ? 1 : -1;
    if (m.kind === 'capture') {
      transactions.push({
        id: `inv_${m.objectId}`,
        at,
        kind: 'invoice',
        customerId: customer,
        ref: null,
        postings: [
          post(`customer:${customer}:receivable`, m.amountMinor),
          post('revenue:usage', -m.amountMinor),
        ],
      });
    }
    const counter = m.kind === 'capture' ? `customer:${customer}:receivable` : `revenue:${m.kind}`;
    transactions.push({
      id: `t_${m.objectId}`,
      at,
      kind: m.kind,
      customerId: customer,
      ref: { psp: 'stripe', type: m.objectType, id: m.objectId },
      postings: [post('psp:stripe:cash', sign * m.amountMinor), post(counter, -sign * m.amountMinor)],
    });
  }
  for (let n = 0; n < accruals; n++) {
    const customer = `c_${n % 1_000}`;
    transactions.push({
      id: `acc_${n}`,
      at,
      kind: 'accrual',
      customerId: customer,
      ref: null,
      postings: [post('revenue:usage', 5), post('deferred:usage', -5)],
    });
  }
  return transactions;
}

function time<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

const rawDump = dump();
const built = time(() => stripeRecords(rawDump));
const records = built.value;
const transactions = ledger(records.movements);
const sim = createSimulation({ seed: 1 });
for (const m of records.movements.slice(0, 50_000)) {
  sim.journal.append({
    kind: 'event',
    psp: 'stripe',
    data: { id: `evt_${m.objectId}`, type: 'charge.succeeded', objectId: m.objectId, endpoints: 1 },
  });
  sim.journal.append({
    kind: 'webhook_attempt',
    psp: 'stripe',
    data: {
      eventId: `evt_${m.objectId}`,
      endpointId: 'we_1',
      eventType: 'charge.succeeded',
      attempt: 1,
      status: 200,
    },
  });
}
const journal = sim.journal.records();
// 1% of the ledger's PSP postings dropped, so the break path is measured too.
const broken = transactions.filter((t, n) => !(t.ref !== null && n % 100 === 0));

const rows: Array<[string, number, string]> = [];
rows.push([
  'stripeRecords(dump)',
  built.ms,
  `${Object.values(rawDump.platform!).flat().length} objects → ${records.movements.length} movements`,
]);
const clean = time(() => reconcile({ ledger: { transactions }, psps: [records], journal }));
rows.push([
  'reconcile, clean',
  clean.ms,
  `${transactions.length} txns, ${journal.length} journal lines, ${clean.value.breaks.length} breaks`,
]);
const again = time(() => reconcile({ ledger: { transactions }, psps: [records], journal }));
rows.push(['reconcile, clean, again (warm)', again.ms, 'same input']);
const dirty = time(() => reconcile({ ledger: { transactions: broken }, psps: [records], journal }));
rows.push(['reconcile, 1% dropped', dirty.ms, `${broken.length} txns, ${dirty.value.breaks.length} breaks`]);
const rendered = time(() => renderText(dirty.value, { color: false }));
rows.push(['renderText of those breaks', rendered.ms, `${rendered.value.length} characters`]);
const total = built.ms + clean.ms;
rows.push(['dump → verdict (clean)', total, total < 2000 ? 'under the 2 s target' : 'OVER the 2 s target']);

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'step'.padEnd(width)} | ${'ms'.padStart(8)} | detail`);
console.log(`${'-'.repeat(width)}-|-${'-'.repeat(8)}-|-------`);
for (const [name, ms, detail] of rows)
  console.log(`${name.padEnd(width)} | ${ms.toFixed(0).padStart(8)} | ${detail}`);
printResult({ ms: total, transactions: transactions.length, movements: records.movements.length });
