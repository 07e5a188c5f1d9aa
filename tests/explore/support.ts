import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand, type RunCommandOptions } from '../../src/cli/run.ts';
import type { ScenarioResult } from '../../src/scenarios/runner.ts';

export const root = join(import.meta.dirname, '..', '..');

/** Where the explore tests write their findings and reports. */
export const workspace = join(root, '.fakepsp', 'explore-tests');

/**
 * Runs a written scenario file the way a user would (`fakepsp run <file> …`) and answers its exit
 * code and the break kinds of its one run.
 */
export async function runWrittenFile(
  file: string,
  options: Partial<RunCommandOptions>,
  cwd: string,
  reportDir: string,
): Promise<{ code: number; status: string; kinds: string[] }> {
  await rm(reportDir, { recursive: true, force: true });
  const code = await runCommand([file], { reporter: ['json'], out: reportDir, quiet: true, ...options }, cwd);
  const report = JSON.parse(await readFile(join(reportDir, 'fakepsp-report.json'), 'utf8')) as {
    runs: ScenarioResult[];
  };
  const [run] = report.runs;
  const kinds = [...new Set((run?.findings ?? []).map((finding) => finding.kind))].sort();
  return { code, status: run?.status ?? 'missing', kinds: run?.status === 'errored' ? ['errored'] : kinds };
}
