// What the figures were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './proc.ts';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly node: string;
  readonly os: string;
  readonly date: string;
  readonly commit: string;
  readonly loadGenerator: string;
  readonly loadAverageAtStart: string;
}

function git(args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

export function describeMachine(): Machine {
  const processors = cpus();
  const autocannon = JSON.parse(
    readFileSync(join(repoRoot, 'node_modules', 'autocannon', 'package.json'), 'utf8'),
  ) as { version: string };
  const dirty =
    git(['status', '--porcelain', '--untracked-files=no']) === '' ? '' : ' (with uncommitted changes)';
  return {
    cpu: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${process.platform} ${release()}`,
    date: new Date().toISOString(),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty}`,
    loadGenerator: `autocannon ${autocannon.version}, 10 connections, in the bench process`,
    loadAverageAtStart: loadAverage(),
  };
}
