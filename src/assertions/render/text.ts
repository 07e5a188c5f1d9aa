import pc from 'picocolors';
import type { Break, ReconcileResult } from '../breaks.ts';
import { formatAmount, journalLineText } from '../explain.ts';

/** Options for {@link renderText}. */
export interface TextOptions {
  /** ANSI colours; default: whatever picocolors detects for the terminal. */
  readonly color?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

function renderBreak(item: Break, index: number, c: Colors): string {
  const objects = item.pspObjects.map((o) => `${o.psp} ${o.type} ${o.id}`).join(', ') || '—';
  const lines = [
    `${c.red('✗')} ${c.bold(`${index + 1}. ${item.kind}`)}  ${c.dim('customer')} ${item.customer ?? '—'}  ` +
      `${c.dim('psp')} ${objects}`,
    `   ${c.dim('expected')} ${c.green(formatAmount(item.expected))}  ${c.dim('actual')} ` +
      `${c.red(formatAmount(item.actual))}  ${c.dim('ledger')} ${item.ledgerTransactions.join(', ') || '—'}`,
  ];
  if (item.quantities !== undefined) {
    const q = item.quantities;
    lines.push(
      `   ${c.dim('units')} ${q.meter}: expected ${c.green(String(q.expected))}, billed ${c.red(String(q.actual))}`,
    );
  }
  lines.push(`   ${item.explanation}`);
  for (const record of item.witness.records)
    lines.push(`   ${c.dim('│')} ${c.cyan(journalLineText(record))}`);
  return lines.join('\n');
}

/**
 * A terminal report: one verdict line, then each break with its amounts, paragraph and
 * journal witness.
 *
 * @example
 * console.log(renderText(reconcile(run)));
 */
export function renderText(result: ReconcileResult, options: TextOptions = {}): string {
  const c = options.color === undefined ? pc : pc.createColors(options.color);
  const { summary } = result;
  const scope =
    `${summary.ledgerTransactions} ledger transactions, ${summary.movements} PSP movements, ` +
    `${summary.journalRecords} journal lines`;
  if (result.ok) return `${c.green('✓ reconciled')}: ${scope}, no breaks.`;
  const kinds = Object.entries(summary.breaksByKind)
    .map(([kind, count]) => `${kind} ×${count}`)
    .join(', ');
  const header =
    `${c.red(c.bold(`✗ ${result.breaks.length} break${result.breaks.length === 1 ? '' : 's'}`))}` +
    ` (${kinds}) over ${scope}`;
  return [header, ...result.breaks.map((item, index) => renderBreak(item, index, c))].join('\n\n');
}
