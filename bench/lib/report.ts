// The bench's one table, as text for the terminal and as Markdown for BENCHMARKS.md.

/** How a figure compares with its same-run baseline. */
export type Ratio =
  /** Target throughput ÷ baseline throughput: 1.00× is as fast as the bare server. */
  | { readonly kind: 'throughput'; readonly value: number }
  /** Target time ÷ the calibration workload's time: machine-independent-ish cost. */
  | { readonly kind: 'calibration'; readonly value: number }
  /** Things done in the calibration workload's time. */
  | { readonly kind: 'perCalibration'; readonly value: number };

/** One line of the table. */
export interface Row {
  /** The figure number (1–8), or 9: journeys as the store grows. */
  readonly figure: number;
  readonly name: string;
  /** The measurement, with its unit (`4.6k req/s`, `13.2 s, peak 250 MB`). */
  readonly value: string;
  /** The same-run baseline the ratio is against. */
  readonly baseline: string;
  readonly ratio?: Ratio;
  /** The acceptance threshold, in words (`≥ 0.60×`, `≤ 20 s`). */
  readonly threshold?: string;
  /** `undefined`: not judged (no threshold, or a quick run's scaled-down figure). */
  readonly pass?: boolean;
}

/** `0.09×` for throughput ratios, `3.1 cal` for calibration multiples, `0.52 /cal` for rates. */
export function formatRatio(ratio: Ratio | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio.value)) return '—';
  const number = ratio.value.toFixed(ratio.value >= 10 ? 1 : 2);
  if (ratio.kind === 'throughput') return `${number}×`;
  return ratio.kind === 'calibration' ? `${number} cal` : `${number} /cal`;
}

/** `pass`, `FAIL`, `—` (a threshold not judged), or nothing when there is no threshold. */
export function verdict(row: Row): string {
  if (row.threshold === undefined) return '';
  if (row.pass === undefined) return '—';
  return row.pass ? 'pass' : 'FAIL';
}

/** `4.6k req/s` under 1M, `1.23M req/s` above. */
export function formatRate(perSecond: number, unit = 'req/s'): string {
  const number =
    perSecond >= 1e6
      ? `${(perSecond / 1e6).toFixed(2)}M`
      : perSecond >= 1e4
        ? `${(perSecond / 1e3).toFixed(1)}k`
        : perSecond >= 1e3
          ? `${(perSecond / 1e3).toFixed(2)}k`
          : perSecond.toFixed(perSecond >= 100 ? 0 : 1);
  return `${number} ${unit}`.trimEnd();
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

const headings = ['#', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', 'verdict'];

function cellsOf(row: Row): string[] {
  return [
    String(row.figure),
    row.name,
    row.value,
    row.baseline,
    formatRatio(row.ratio),
    row.threshold ?? '',
    verdict(row),
  ];
}

/** The table as aligned plain text, for the terminal. */
export function renderText(rows: readonly Row[]): string {
  const table = [headings, ...rows.map(cellsOf)];
  const widths = headings.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [
    line(headings),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(cellsOf).map(line),
  ].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table from a heading row and body rows. */
export function markdownTable(head: readonly string[], body: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}

/** The table in Markdown, for BENCHMARKS.md. */
export function renderMarkdown(rows: readonly Row[]): string {
  return markdownTable(headings, rows.map(cellsOf));
}
