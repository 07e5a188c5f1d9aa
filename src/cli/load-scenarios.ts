import { glob, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isScenario } from '../scenarios/define.ts';
import type { ScenarioEntry } from '../scenarios/suite.ts';

/** Where `fakepsp run` looks when given no paths. */
export const defaultScenarioGlob = 'scenarios/**/*.scenario.ts';

/**
 * Finds scenario files (paths, folders or globs), imports them, and collects every exported
 * scenario (default or named exports, or arrays of them), in a stable order.
 */
export async function loadScenarios(patterns: readonly string[], cwd: string): Promise<ScenarioEntry[]> {
  const files = new Set<string>();
  for (const pattern of patterns.length === 0 ? [defaultScenarioGlob] : patterns) {
    const absolute = resolve(cwd, pattern);
    const isFolder = await stat(absolute).then(
      (info) => info.isDirectory(),
      () => false,
    );
    const search = isFolder ? `${pattern.replace(/\/$/, '')}/**/*.scenario.{ts,js,mjs}` : pattern;
    for await (const file of glob(search, { cwd })) files.add(resolve(cwd, file));
  }
  const entries: ScenarioEntry[] = [];
  for (const file of [...files].sort()) {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const exported = Object.values(module).flatMap((value) => (Array.isArray(value) ? value : [value]));
    // A scenario exported twice (named and default) runs once. Within a file, by name: a module
    // namespace's key order differs between loaders (Node sorts it, vite keeps declaration order).
    const scenarios = [...new Set(exported.filter(isScenario))].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const scenario of scenarios) entries.push({ scenario, file: relative(cwd, file) });
  }
  return entries;
}
