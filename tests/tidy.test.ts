// TigerBeetle's tidy.zig idea: the style rules that keep runs deterministic and the core
// transport-free are enforced by a test, not by review.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Calls that read ambient time or randomness, with what to use instead. */
const bannedCalls: ReadonlyArray<{ pattern: RegExp; name: string; instead: string }> = [
  { pattern: /\bDate\.now\s*\(/, name: 'Date.now()', instead: 'clock.nowMs()' },
  { pattern: /\bnew\s+Date\s*\(\s*\)/, name: 'new Date()', instead: 'clock.now()' },
  { pattern: /\bMath\.random\s*\(/, name: 'Math.random()', instead: 'sim.stream(name)' },
  { pattern: /\brandomUUID\s*\(/, name: 'crypto.randomUUID()', instead: 'sim.idsFor(name)' },
  { pattern: /\bsetTimeout\s*\(/, name: 'setTimeout', instead: 'clock.schedule()' },
  { pattern: /\bsetInterval\s*\(/, name: 'setInterval', instead: 'clock.schedule()' },
  { pattern: /\bperformance\.now\s*\(/, name: 'performance.now()', instead: 'clock.nowMs()' },
];

/** Modules the core folders must never import: transports stay thin adapters. */
const transportModules = ['express', 'msw', 'nock', 'node:http', 'node:https', 'node:net', 'http', 'https'];
const coreFolders = ['src/sim/', 'src/fakes/', 'src/scenarios/', 'src/assertions/', 'src/explore/'];

/** Where ambient time is allowed: the kernel itself, and transports' socket deadlines. */
const ambientTimeAllowed = ['src/sim/'];

const fileLinesMax = 400;
const lineColumnsMax = 120;

function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The banned calls in a source text, as `line: name (use …)`. */
export function findBannedCalls(source: string): string[] {
  const found: string[] = [];
  withoutComments(source)
    .split('\n')
    .forEach((line, index) => {
      for (const banned of bannedCalls) {
        if (banned.pattern.test(line)) found.push(`${index + 1}: ${banned.name} (use ${banned.instead})`);
      }
    });
  return found;
}

/** The transport modules a source text imports. */
export function findTransportImports(source: string): string[] {
  const imported = [...withoutComments(source).matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)];
  return imported
    .map((match) => match[1]!)
    .filter((name) => transportModules.some((banned) => name === banned || name.startsWith(`${banned}/`)));
}

/** Size problems of a source text: too many lines, or lines too wide. */
export function findSizeProblems(source: string): string[] {
  const lines = source.split('\n');
  const problems = lines.length > fileLinesMax ? [`${lines.length} lines (max ${fileLinesMax})`] : [];
  lines.forEach((line, index) => {
    // A long message literal stays whole, so it can be found by grep; anything else wraps.
    const longLiteral = /(['"`]).{60,}\1/.test(line);
    if (line.length > lineColumnsMax && !longLiteral)
      problems.push(`line ${index + 1} has ${line.length} columns`);
  });
  return problems;
}

function sourceFiles(folder: string): string[] {
  if (!existsSync(join(root, folder))) return [];
  const entries = readdirSync(join(root, folder), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

const projectFiles = ['src', 'scenarios'].flatMap(sourceFiles);

describe('tidy rules catch what they ban', () => {
  it.each([
    ['const t = Date.now();', 'Date.now()'],
    ['const d = new Date();', 'new Date()'],
    ['const r = Math.random() * 2;', 'Math.random()'],
    ['const id = crypto.randomUUID();', 'crypto.randomUUID()'],
    ['setTimeout(() => retry(), 500);', 'setTimeout'],
    ['const h = setInterval(tick, 10);', 'setInterval'],
    ['const s = performance.now();', 'performance.now()'],
  ])('flags %s', (sample, name) => {
    expect(findBannedCalls(sample).join()).toContain(name);
  });

  it('allows explicit dates and ignores comments', () => {
    expect(findBannedCalls('const d = new Date(clock.nowMs());')).toEqual([]);
    expect(findBannedCalls('// never call Date.now() here\n/* Math.random() */')).toEqual([]);
    expect(findBannedCalls("const url = 'http://x'; const t = Date.now();")).toHaveLength(1);
  });

  it('flags transport imports, static and dynamic', () => {
    expect(findTransportImports("import express from 'express';")).toEqual(['express']);
    expect(findTransportImports("import { http } from 'msw';")).toEqual(['msw']);
    expect(findTransportImports("import { setupServer } from 'msw/node';")).toEqual(['msw/node']);
    expect(findTransportImports("const n = await import('nock');")).toEqual(['nock']);
    expect(findTransportImports("import { createServer } from 'node:http';")).toEqual(['node:http']);
    expect(findTransportImports("import { createHash } from 'node:crypto';")).toEqual([]);
  });

  it('flags oversized files and wide lines', () => {
    expect(findSizeProblems('x\n'.repeat(fileLinesMax + 1))).toHaveLength(1);
    expect(findSizeProblems('y'.repeat(lineColumnsMax + 1))).toEqual([
      `line 1 has ${lineColumnsMax + 1} columns`,
    ]);
    expect(findSizeProblems('small\nfile\n')).toEqual([]);
    expect(findSizeProblems(`  message: '${'m'.repeat(lineColumnsMax)}',`)).toEqual([]);
  });
});

describe('the tree is tidy', () => {
  it('finds the project sources', () => {
    expect(projectFiles.length).toBeGreaterThan(5);
  });

  it('reads time and randomness only in the simulation kernel', () => {
    const offenders = projectFiles
      .filter((file) => !ambientTimeAllowed.some((allowed) => file.startsWith(allowed)))
      .flatMap((file) =>
        findBannedCalls(readFileSync(join(root, file), 'utf8')).map((hit) => `${file}:${hit}`),
      );
    expect(offenders).toEqual([]);
  });

  it('keeps transports out of the core folders', () => {
    const offenders = projectFiles
      .filter((file) => coreFolders.some((folder) => file.startsWith(folder)))
      .flatMap((file) =>
        findTransportImports(readFileSync(join(root, file), 'utf8')).map((name) => `${file}: ${name}`),
      );
    expect(offenders).toEqual([]);
  });

  it('keeps every source file small', () => {
    const offenders = projectFiles.flatMap((file) =>
      findSizeProblems(readFileSync(join(root, file), 'utf8')).map((problem) => `${file}: ${problem}`),
    );
    expect(offenders).toEqual([]);
  });
});
