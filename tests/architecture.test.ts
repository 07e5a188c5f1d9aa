// TigerBeetle-style rules for the shape of the code, enforced by a test: the layers, no import
// cycles, short functions and files, and few escapes from the type system. Allowlists only shrink:
// an entry that is fixed must be deleted from its list (the test says so).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Each folder of src/, lowest first: a module imports its own layer and lower ones, never higher. */
export const layers: Readonly<Record<string, number>> = {
  sim: 0,
  fakes: 1,
  sut: 2,
  assertions: 3,
  scenarios: 4,
  harness: 5,
  transports: 5,
  reference: 6,
  explore: 7,
  vitest: 8,
  cli: 8,
  entries: 8,
  'index.ts': 8,
};

export const functionLinesMax = 70;
export const fileLinesMax = 300;
export const asNeverMax = 0;

/** Functions longer than {@link functionLinesMax} today, with their length: tables, or debts. */
const longFunctions: Readonly<Record<string, number>> = {
  'src/fakes/razorpay/errors.ts partsOf': 154, // a table: one case per error kind
  'src/fakes/stripe/errors.ts stripeError': 86, // a table
  'src/fakes/adyen/errors.ts adyenError': 90, // a table
  'src/fakes/stripe/admin-actions.ts stripeAdminActions': 96, // a table of actions
  'src/reference/adyen/webhooks.ts applyItem': 89,
  'src/fakes/stripe/billing/invoice-objects.ts draftInvoice': 88,
  'src/fakes/stripe/resources/payment-intent-create.ts createIntent': 80,
};

/** Files longer than {@link fileLinesMax} today, with their length. */
const longFiles: Readonly<Record<string, number>> = {
  'src/assertions/records/stripe.ts': 394,
  'src/fakes/stripe/resources/payment-intents.ts': 341,
  'src/assertions/records/adyen.ts': 320,
  'src/fakes/stripe/resources/credit-notes.ts': 312,
  'src/fakes/stripe/resources/quotes.ts': 328,
  'src/fakes/stripe/resources/subscription-schedules.ts': 327,
};

/** Import cycles today, each as its sorted member list: to be broken, never added to. */
const knownCycles: readonly string[] = [];

/** The one request pipeline, its profile contract and the three PSPs' profiles, together. */
const pipelineLinesMax = 600;

const sources = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => relative(root, join(entry.parentPath, entry.name)))
  .sort();

const text = (file: string) => readFileSync(join(root, file), 'utf8');

/** Relative imports of a source, type-only ones included: both couple modules. */
export function importsOf(file: string, source: string): string[] {
  const found = source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"](\.[^'"]+)['"]/gm);
  return [...found].map((match) => relative(root, resolve(dirname(join(root, file)), match[1]!)));
}

const layerOf = (file: string) => layers[file.split('/')[1]!];

/** Strongly connected components of more than one module (Tarjan). */
export function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

/** Named functions and methods with their length in lines, found by indentation (the code is prettier-formatted). */
export function functionsOf(source: string): Array<{ name: string; lines: number }> {
  const lines = source.split('\n');
  const found: Array<{ name: string; lines: number }> = [];
  const opener =
    /^(\s*)(?:export\s+)?(?:async\s+)?(?:function\s+([\w$]+)|(?:(?:static|private|readonly|async)\s+)*#?([\w$]+)\s*(?:<[^>]*>)?\([^;]*\)\s*(?::\s*[^=;]+)?\{\s*$)/;
  lines.forEach((line, at) => {
    const match = opener.exec(line);
    if (match === null || /^\s*(?:if|for|while|switch|catch|else|return|do)\b/.test(line)) return;
    const indent = match[1]!.length;
    for (let end = at + 1; end < lines.length; end++) {
      const next = lines[end]!;
      if (next.trim() === '') continue;
      if (next.length - next.trimStart().length > indent) continue;
      found.push({ name: match[2] ?? match[3]!, lines: end - at + 1 });
      break;
    }
  });
  return found;
}

describe('the architecture rules catch what they forbid', () => {
  it('finds cycles, type-only imports included', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c']]);
    expect(
      importsOf('src/x/y.ts', "import type { T } from '../z/w.ts';\nexport { u } from './v.ts';"),
    ).toEqual(['src/z/w.ts', 'src/x/v.ts']);
  });

  it('measures functions and methods', () => {
    const body = Array.from({ length: 80 }, () => '  step();').join('\n');
    expect(functionsOf(`export function long() {\n${body}\n}\n`)).toEqual([{ name: 'long', lines: 82 }]);
    expect(functionsOf(`class A {\n  #run(x: number): void {\n    x;\n  }\n}\n`)).toEqual([
      { name: 'run', lines: 3 },
    ]);
  });
});

describe('the architecture of src/', () => {
  const graph = new Map(
    sources.map((file) => [file, importsOf(file, text(file)).filter((target) => sources.includes(target))]),
  );

  it('puts every folder in a layer', () => {
    expect(sources.filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  it('imports only down the layers: sim → fakes → sut → assertions → scenarios → harness/transports → reference → cli', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => layerOf(target)! > layerOf(file)!).map((target) => `${file} → ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycles beyond the known ones, and every known one still exists', () => {
    const cycles = cyclesOf(graph).map((cycle) => cycle.join(' '));
    expect(cycles.filter((cycle) => !knownCycles.includes(cycle))).toEqual([]);
    expect(knownCycles.filter((cycle) => !cycles.includes(cycle))).toEqual([]);
  });

  it(`keeps functions within ${functionLinesMax} lines (the allowlist only shrinks)`, () => {
    const long = sources.flatMap((file) =>
      functionsOf(text(file))
        .filter((fn) => fn.lines > functionLinesMax)
        .map((fn) => ({ key: `${file} ${fn.name}`, lines: fn.lines })),
    );
    expect(
      long
        .filter((fn) => fn.lines > (longFunctions[fn.key] ?? functionLinesMax))
        .map((fn) => `${fn.key}: ${fn.lines}`),
    ).toEqual([]);
    const fixed = Object.keys(longFunctions).filter((key) => !long.some((fn) => fn.key === key));
    expect(fixed, 'now short enough: delete from longFunctions').toEqual([]);
  });

  it(`keeps files within ${fileLinesMax} lines (the allowlist only shrinks)`, () => {
    const sizes = sources.map((file) => ({ file, lines: text(file).split('\n').length - 1 }));
    const grown = sizes.filter((size) => size.lines > (longFiles[size.file] ?? fileLinesMax));
    expect(grown.map((size) => `${size.file}: ${size.lines}`)).toEqual([]);
    const fixed = Object.keys(longFiles).filter(
      (file) => (sizes.find((size) => size.file === file)?.lines ?? 0) <= fileLinesMax,
    );
    expect(fixed, 'now short enough: delete from longFiles').toEqual([]);
  });

  it(`runs every PSP on one request pipeline of under ${pipelineLinesMax} lines, with no per-PSP copy of it`, () => {
    // The shared lifecycle and its contract, and each PSP's profile: the rules that genuinely differ.
    const pipeline = sources.filter(
      (file) =>
        /^src\/fakes\/common\/(pipeline|psp-profile)\.ts$/.test(file) ||
        /^src\/fakes\/\w+\/profile\.ts$/.test(file),
    );
    expect(pipeline).toHaveLength(5);
    const lines = pipeline.reduce((sum, file) => sum + text(file).split('\n').length - 1, 0);
    expect(lines).toBeLessThan(pipelineLinesMax);
    const copies = sources.filter((file) => /^src\/fakes\/\w+\/(core|render|admission)\.ts$/.test(file));
    expect(copies).toEqual([]);
  });

  it(`escapes the type system with \`as never\` at most ${asNeverMax} times`, () => {
    const casts = sources.flatMap((file) => [...text(file).matchAll(/\bas never\b/g)].map(() => file));
    expect(casts.length).toBeLessThanOrEqual(asNeverMax);
  });
});
