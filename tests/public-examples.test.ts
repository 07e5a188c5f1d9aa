import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Every `@example` on what the package exports is written against the public entries only: each
// is compiled on its own, with nothing in scope but the entries' exports and the imports it makes
// itself. An example that names an internal module, or a variable it never made, fails here.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries: Readonly<Record<string, string>> = {
  fakepsp: 'src/index.ts',
  'fakepsp/sut': 'src/entries/sut.ts',
  'fakepsp/reference': 'src/entries/reference.ts',
  'fakepsp/adyen': 'src/entries/adyen.ts',
  'fakepsp/sim': 'src/entries/sim.ts',
  'fakepsp/msw': 'src/transports/msw.ts',
  'fakepsp/nock': 'src/transports/nock.ts',
  'fakepsp/vitest': 'src/vitest/index.ts',
};

interface Exported {
  readonly name: string;
  readonly type: boolean;
  /** The module that declares it. */
  readonly from: string;
}

const text = (file: string) => readFileSync(join(root, file), 'utf8');
const beside = (file: string, specifier: string) =>
  normalize(join(dirname(file), specifier)).replaceAll('\\', '/');
const declared = /export\s+(?:declare\s+)?(?:async\s+)?(function|class|const|interface|type)\s+(\w+)/g;

/** What one module exports, by name: re-exports followed one level, as the entries use them. */
function exportsOf(file: string): Exported[] {
  const source = text(file);
  const found: Exported[] = [];
  for (const match of source.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    for (const part of match[2]!.split(',')) {
      const words = part.trim();
      if (words === '') continue;
      const type = match[1] !== undefined || words.startsWith('type ');
      const name = words
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .at(-1)!
        .trim();
      found.push({ name, type, from: beside(file, match[3]!) });
    }
  }
  for (const match of source.matchAll(/export\s+(type\s+)?\*\s+from\s*'([^']+)'/g)) {
    const from = beside(file, match[2]!);
    for (const inner of text(from).matchAll(declared)) {
      const type = match[1] !== undefined || inner[1] === 'interface' || inner[1] === 'type';
      found.push({ name: inner[2]!, type, from });
    }
  }
  for (const inner of source.matchAll(declared))
    found.push({ name: inner[2]!, type: inner[1] === 'interface' || inner[1] === 'type', from: file });
  return found;
}

interface Example {
  readonly where: string;
  readonly code: string;
}

/** The `@example` blocks of a doc comment: its lines up to the next tag, stars stripped. */
function examplesIn(comment: string): string[] {
  return [...comment.matchAll(/@example\n((?:\s*\*(?! @)[^\n]*\n?)*)/g)].map((match) =>
    match[1]!
      .split('\n')
      .map((line) => line.replace(/^\s*\* ?/, ''))
      .join('\n')
      .replaceAll('*\\/', '*/')
      .trim(),
  );
}

function publicExamples(): Example[] {
  const examples: Example[] = [];
  const seen = new Set<string>();
  for (const file of Object.values(entries)) {
    // The entry's own header.
    const header = /^\/\*\*([\s\S]*?)\*\//.exec(text(file));
    for (const code of examplesIn(header?.[1] ?? '')) examples.push({ where: `${file} (header)`, code });
    for (const item of exportsOf(file)) {
      const key = `${item.from}#${item.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const doc = new RegExp(
        String.raw`/\*\*((?:(?!\*/)[\s\S])*?)\*/\s*export\s+(?:declare\s+)?(?:async\s+)?(?:function|class|const|interface|type)\s+${item.name}\b`,
      ).exec(text(item.from));
      for (const code of examplesIn(doc?.[1] ?? ''))
        examples.push({ where: `${item.name} in ${item.from}`, code });
    }
  }
  return examples;
}

/** Names an example imports itself (which the prelude then leaves to it). */
function importedBy(code: string): Set<string> {
  const names = new Set<string>();
  for (const match of code.matchAll(/^import\s+(?:type\s+)?([^'"]*?)\s+from\s/gm)) {
    for (const part of match[1]!.replace(/[{}]/g, ',').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .replace(/^\*\s+as\s+/, '')
        .split(/\s+as\s+/)
        .at(-1)!;
      if (name !== '') names.add(name.trim());
    }
  }
  return names;
}

/** Imports of every public name the example does not import itself, each from the first entry that has it. */
function prelude(code: string): string {
  const taken = importedBy(code);
  const lines: string[] = [];
  for (const [specifier, file] of Object.entries(entries)) {
    const names = exportsOf(file)
      .filter((item) => !taken.has(item.name))
      .map((item) => (taken.add(item.name), item.type ? `type ${item.name}` : item.name));
    if (names.length > 0) lines.push(`import { ${names.join(', ')} } from '${specifier}';`);
  }
  return lines.join('\n');
}

describe('the @examples of the public API', () => {
  const examples = publicExamples();

  it('are there: every entry documents itself by example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(25);
  });

  it('compile against the public entries alone', async () => {
    const folder = join(root, '.fakepsp', 'public-examples');
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    const files = examples.map((_, index) => `example-${index + 1}.ts`);
    await Promise.all(
      examples.map((example, index) =>
        writeFile(
          join(folder, files[index]!),
          `${prelude(example.code)}\n// ${example.where}\n${example.code}\n`,
        ),
      ),
    );
    await writeFile(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(folder, join(root, 'tsconfig.json')),
        // The prelude imports every public name; an example uses a few.
        compilerOptions: { noUnusedLocals: false },
        include: files,
      }),
    );
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    const failures = await promisify(execFile)(tsc, ['-p', join(folder, 'tsconfig.json'), '--noEmit'], {
      cwd: root,
    }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    const named = failures.replace(/example-(\d+)\.ts/g, (found, index: string) => {
      const example = examples[Number(index) - 1];
      return example === undefined ? found : `${found} [${example.where}]`;
    });
    expect(named).toBe('');
  }, 120_000);
});
