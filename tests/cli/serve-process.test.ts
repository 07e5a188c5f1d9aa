import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveNodeFlags } from '../../src/cli/node-flags.ts';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const caDir = join(tmpdir(), 'fakepsp-serve-process-ca');

describe('fakepsp serve as a process', () => {
  it('prints its ready line, answers with its V8 flags, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        main,
        'serve',
        '--stripe-port',
        '0',
        '--adyen-port',
        '0',
        '--razorpay-port',
        '0',
        '--tls-dir',
        caDir,
        '--seed',
        '3',
      ],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const found = /ready stripe\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (found) resolve(found[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited early (${code}): ${output}`)));
    });
    const health = (await (await fetch(`${url}/_fakepsp/health`)).json()) as { ok: boolean; seed: number };
    expect(health).toMatchObject({ ok: true, seed: 3 });
    if (process.platform === 'linux' && typeof process.execve === 'function') {
      // Relaunched in place (same pid) with the V8 flags that keep its young generation small.
      const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      expect(commandLine).toEqual(expect.arrayContaining([...serveNodeFlags, 'serve']));
    }
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 30_000);
});
