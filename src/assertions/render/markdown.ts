import type { Break, ReconcileResult } from '../breaks.ts';
import { formatAmount, journalLineText } from '../explain.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function renderBreak(item: Break, index: number): string {
  const objects = item.pspObjects.map((o) => `\`${o.id}\` (${o.psp} ${o.type})`).join(', ') || '—';
  const txns = item.ledgerTransactions.map((id) => `\`${id}\``).join(', ') || '—';
  const rows = [
    `| customer | ${cell(item.customer ?? '—')} |`,
    `| PSP objects | ${cell(objects)} |`,
    `| ledger transactions | ${cell(txns)} |`,
    `| expected | ${formatAmount(item.expected)} |`,
    `| actual | ${formatAmount(item.actual)} |`,
  ];
  if (item.quantities !== undefined) {
    const q = item.quantities;
    rows.push(`| units (${cell(q.meter)}) | expected ${q.expected}, billed ${q.actual} |`);
  }
  const witness = item.witness.records.map((record) => `- \`${journalLineText(record)}\``);
  return [
    `### ${index + 1}. \`${item.kind}\``,
    '',
    '| | |',
    '| --- | --- |',
    ...rows,
    '',
    item.explanation,
    ...(witness.length === 0
      ? []
      : ['', '<details><summary>Journal witness</summary>', '', ...witness, '', '</details>']),
  ].join('\n');
}

/**
 * A Markdown report, e.g. for a pull-request comment or a CI job summary.
 *
 * @example
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY!, renderMarkdown(result));
 */
export function renderMarkdown(result: ReconcileResult): string {
  const { summary } = result;
  const scope =
    `${summary.ledgerTransactions} ledger transactions, ${summary.movements} PSP movements, ` +
    `${summary.journalRecords} journal lines`;
  if (result.ok) return `## ✅ Reconciled\n\n${scope}; no breaks.\n`;
  const counts = Object.entries(summary.breaksByKind).map(([kind, count]) => `| \`${kind}\` | ${count} |`);
  return [
    `## ❌ ${result.breaks.length} reconciliation break${result.breaks.length === 1 ? '' : 's'}`,
    '',
    `${scope}.`,
    '',
    '| break | count |',
    '| --- | --- |',
    ...counts,
    '',
    ...result.breaks.map(renderBreak).flatMap((section) => [section, '']),
  ].join('\n');
}
