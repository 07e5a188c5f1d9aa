import pc from 'picocolors';
import type { ScenarioResult } from '../runner.ts';
import { summarize, summaryLine } from '../suite.ts';

const mark = {
  passed: pc.green('✓'),
  failed: pc.red('✗'),
  errored: pc.red('!'),
  skipped: pc.dim('-'),
} as const;

/** What the marks of the progress lines and the failures mean. */
export const legend =
  '✓ passed · ✗ failed: the checker found breaks · ! errored: the run could not finish · - skipped';

/** Lines of a failing run's service output the terminal shows (the reports keep more). */
export const prettyOutputLinesMax = 12;

/**
 * The human summary: a table of pattern × PSP with pass counts, then every failure with its
 * findings and the command that replays it.
 */
export function prettyReport(results: readonly ScenarioResult[]): string {
  const patterns = [...new Set(results.map((result) => result.pattern))];
  // Columns in one fixed order, whichever run finished first.
  const order: readonly string[] = ['stripe', 'adyen', 'razorpay'];
  const psps = [...new Set(results.map((result) => result.psp))].sort(
    (a, b) => order.indexOf(a) - order.indexOf(b),
  );
  const cell = (pattern: string, psp: string) => {
    const mine = results.filter((result) => result.pattern === pattern && result.psp === psp);
    if (mine.length === 0) return '';
    const counts = summarize(mine);
    const ran = counts.total - counts.skipped;
    if (ran === 0) return pc.dim(`skipped ${counts.skipped}`);
    const text = `${counts.passed}/${ran}`;
    return counts.passed === ran ? pc.green(text) : pc.red(text);
  };
  const width = Math.max(8, ...patterns.map((pattern) => pattern.length));
  const lines = [
    pc.bold(['pattern'.padEnd(width), ...psps.map((psp) => psp.padEnd(12))].join('  ')),
    ...patterns.map((pattern) =>
      [pattern.padEnd(width), ...psps.map((psp) => padVisible(cell(pattern, psp), 12))].join('  '),
    ),
    '',
  ];
  for (const result of results.filter((entry) => entry.status === 'failed' || entry.status === 'errored')) {
    lines.push(
      `${mark[result.status]} ${pc.bold(result.scenario)} [${result.pattern} · ${result.psp}] seed ${result.seed}`,
    );
    if (result.reason !== undefined) lines.push(`    ${result.reason}`);
    if (result.step !== undefined && result.reason?.includes(result.step) !== true)
      lines.push(`    ${pc.dim('in step:')} ${result.step}`);
    for (const finding of result.findings) lines.push(`    ${pc.red(finding.kind)}: ${finding.message}`);
    const output = (result.sutOutput ?? []).slice(-prettyOutputLinesMax);
    if (output.length > 0)
      lines.push(
        `    ${pc.dim('service output (last lines):')}`,
        ...output.map((line) => `      ${pc.dim(line)}`),
      );
    lines.push(`    ${pc.dim('replay:')} ${result.replay}`, '');
  }
  lines.push(summaryLine(results), pc.dim(legend));
  return `${lines.join('\n')}\n`;
}

/** One line per finished run, for progress output. */
export function progressLine(result: ScenarioResult, done: number, total: number): string {
  const counter = pc.dim(`[${String(done).padStart(String(total).length)}/${total}]`);
  return `${counter} ${mark[result.status]} ${result.scenario} ${pc.dim(`[${result.pattern} · ${result.psp}]`)}`;
}

function padVisible(text: string, width: number): string {
  const visible = text.replace(/\u001b\[[0-9;]*m/g, '').length;
  return text + ' '.repeat(Math.max(0, width - visible));
}
