import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('toolchain', () => {
  it('runs npm scripts on the pinned Node 24, whatever node the machine has', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('declares the engines and pins node as a devDependency with its install script allowed', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
      allowScripts: Record<string, boolean>;
    };
    expect(pkg.engines.node).toBe('>=22.12');
    expect(pkg.devDependencies.node).toMatch(/^\^24\./);
    expect(pkg.allowScripts.node).toBe(true);
  });
});
