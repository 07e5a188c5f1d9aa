import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalTls, loadOrCreateLocalTls } from '../../src/transports/local-tls.ts';

describe('the local CA of a project', () => {
  it('is made once and loaded again, so a service in another process trusts one ca.pem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fakepsp-ca-'));
    const first = await loadOrCreateLocalTls(dir);
    const again = await loadOrCreateLocalTls(dir);
    expect(again).toEqual(first);
    expect(first.caPath).toBe(join(dir, 'ca.pem'));
  });

  it('keeps its private key out of git: the folder ignores itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fakepsp-ca-'));
    await loadOrCreateLocalTls(dir);
    expect((await readFile(join(dir, '.gitignore'), 'utf8')).split('\n')).toContain('*');
  });

  it('is made afresh when the folder holds a mixed set (two processes made it at once)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fakepsp-ca-'));
    const first = await createLocalTls(dir);
    const other = await createLocalTls(await mkdtemp(join(tmpdir(), 'fakepsp-ca-other-')));
    await writeFile(join(dir, 'server-key.pem'), other.key);
    const loaded = await loadOrCreateLocalTls(dir);
    expect(loaded.caCert).not.toBe(first.caCert);
    expect(loaded.key).not.toBe(other.key);
    expect(await loadOrCreateLocalTls(dir)).toEqual(loaded);
  });
});
