import { existsSync } from 'node:fs';
import { glob, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isScenario, scenarioProblem } from '../scenarios/define.ts';
import type { ScenarioEntry } from '../scenarios/suite.ts';
import { UsageError } from './usage-error.ts';

/** The file names scenarios live in: TypeScript or JavaScript, ES modules either way. */
export const scenarioFileGlob = '**/*.scenario.{ts,mts,js,mjs}';

/** Where `fakepsp run` looks when given no paths. */
export const defaultScenarioGlob = `scenarios/${scenarioFileGlob}`;

// This package's root: src/cli/ from source, dist/cli/ once built.
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const compiled = import.meta.url.endsWith('.js');

/** The scenario library fakepsp ships, run when a project has no `scenarios/` folder of its own. */
export const shippedLibrary = join(packageRoot, 'scenarios');

/** A scenario file that would not load, and why, in one line. */
export interface LoadProblem {
  readonly file: string;
  readonly message: string;
}

/** What {@link loadScenarioFiles} found. */
export interface LoadedScenarios {
  readonly entries: ScenarioEntry[];
  readonly problems: LoadProblem[];
  /** True when no path was given and the project has no `scenarios/`: the shipped library ran. */
  readonly shipped: boolean;
}

/**
 * Finds scenario files (paths, folders or globs), imports them, and collects every exported
 * scenario (default or named exports, or arrays of them), in a stable order. A file that does
 * not load is a problem of that file; the others still load. A path that names nothing is a
 * usage mistake.
 */
export async function loadScenarioFiles(patterns: readonly string[], cwd: string): Promise<LoadedScenarios> {
  const shipped = patterns.length === 0 && !existsSync(resolve(cwd, 'scenarios'));
  const files = await findFiles(
    shipped ? [shippedLibrary] : patterns.length === 0 ? [defaultScenarioGlob] : patterns,
    cwd,
  );
  const entries: ScenarioEntry[] = [];
  const problems: LoadProblem[] = [];
  for (const file of [...files].sort()) {
    const shown = relative(cwd, file);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(runnable(file)).href)) as Record<string, unknown>;
    } catch (error) {
      problems.push({ file: shown, message: loadProblem(shown, error) });
      continue;
    }
    const exported = Object.values(module).flatMap((value) => (Array.isArray(value) ? value : [value]));
    // A scenario exported twice (named and default) runs once. Within a file, by name: a module
    // namespace's key order differs between loaders (Node sorts it, vite keeps declaration order).
    const scenarios = [...new Set(exported.filter(isScenario))].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const scenario of scenarios) {
      const problem = scenarioProblem(scenario);
      if (problem === undefined) entries.push({ scenario, file: shown });
      else problems.push({ file: shown, message: `${shown}: ${problem}` });
    }
  }
  return { entries, problems, shipped };
}

/** {@link loadScenarioFiles}, for callers that treat any file that does not load as an error. */
export async function loadScenarios(patterns: readonly string[], cwd: string): Promise<ScenarioEntry[]> {
  const { entries, problems } = await loadScenarioFiles(patterns, cwd);
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join('\n'));
  return entries;
}

async function findFiles(patterns: readonly string[], cwd: string): Promise<Set<string>> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const absolute = resolve(cwd, pattern);
    const info = await stat(absolute).catch(() => undefined);
    const isGlob = /[*?[\]{}]/.test(pattern);
    if (info === undefined && !isGlob) throw new UsageError(`no such file or folder: ${pattern}`);
    if (info?.isFile() === true) {
      files.add(absolute);
      continue;
    }
    const search = info?.isDirectory() === true ? join(absolute, scenarioFileGlob) : absolute;
    for await (const file of glob(search, { cwd })) files.add(resolve(cwd, file));
  }
  return files;
}

/**
 * The file to import for a scenario file. Node strips no types under node_modules, so once
 * built, fakepsp runs its own library's compiled copy (`dist/library/`) in place of the sources.
 */
function runnable(file: string): string {
  const own = join(packageRoot, 'scenarios') + sep;
  if (!compiled || !file.startsWith(own) || !/\.m?ts$/.test(file)) return file;
  const built = join(packageRoot, 'dist', 'library', file.slice(own.length)).replace(/\.(m?)ts$/, '.$1js');
  return existsSync(built) ? built : file;
}

/** One line saying why a file did not load, with the fix for the usual module-type mistake. */
function loadProblem(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot use import statement outside a module|Unexpected token 'export'/.test(message)) {
    return (
      `${file} is loaded as CommonJS (its package.json says "type": "commonjs" or nothing): ` +
      `name it *.scenario.mts, or set "type": "module" in package.json`
    );
  }
  const where = error instanceof Error ? locationOf(error, file) : '';
  const name = error instanceof Error ? error.name : 'Error';
  // "Transform failed with 1 error:" says nothing by itself: keep the line that follows it.
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const said = lines[0]?.endsWith(':') === true ? lines.slice(0, 2).join(' ') : (lines[0] ?? '');
  return `${file}${where} did not load: ${name}: ${said}`;
}

// A syntax error's stack starts `file:///…/x.scenario.ts:3`: keep the line number.
function locationOf(error: Error, file: string): string {
  const base = file.split(sep).pop() ?? file;
  const match = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(error.stack ?? '');
  return match === null ? '' : `:${match[1]}`;
}
