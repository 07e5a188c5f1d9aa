import type { ScenarioResult } from '../runner.ts';
import { summarize } from '../suite.ts';

/** The machine-readable report: a summary and every run (journals left out; see `--out`). */
export function jsonReport(results: readonly ScenarioResult[]): string {
  const runs = results.map(({ journal: _journal, ...rest }) => rest);
  return `${JSON.stringify({ summary: summarize(results), runs }, null, 2)}\n`;
}
