import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { wallClockMs } from '../sim/wall-clock.ts';

/** A local certificate authority and a loopback server certificate it signed. */
export interface LocalTls {
  readonly key: string;
  readonly cert: string;
  /** The CA certificate (PEM), for clients in this process (`trustCaCertificate`). */
  readonly caCert: string;
  /** Absolute path of the CA certificate, for `NODE_EXTRA_CA_CERTS`. */
  readonly caPath: string;
}

/**
 * Makes a throwaway CA and a certificate for 127.0.0.1, ::1 and localhost signed by it, and
 * writes the CA where a client can trust it. The official Adyen SDK speaks only HTTPS, so
 * `fakepsp serve --tls` needs a certificate the SUT's Node process accepts.
 *
 * @example
 * const tls = await createLocalTls('.fakepsp/tls');
 * https.createServer({ key: tls.key, cert: tls.cert }, app);
 * // export NODE_EXTRA_CA_CERTS=<tls.caPath>
 */
export async function createLocalTls(directory: string): Promise<LocalTls> {
  const { ca, leaf: server } = await caAndLeaf('fakepsp local CA', 'localhost', [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ]);
  const folder = resolve(directory);
  await mkdir(folder, { recursive: true });
  const caPath = join(folder, 'ca.pem');
  // Written whole and renamed into place, so a process reading the folder never sees half a file.
  await writeAtomically(join(folder, serverKeyFile), server.private);
  await writeAtomically(join(folder, serverCertFile), server.cert);
  await writeAtomically(caPath, ca.cert);
  // A private key lives here: keep it out of the user's repository without asking them to.
  await writeAtomically(
    join(folder, '.gitignore'),
    '# written by fakepsp: a local CA and its private key\n*\n',
  );
  return { key: server.private, cert: server.cert, caCert: ca.cert, caPath };
}

/** A subject alternative name: a DNS name (type 2) or an IP address (type 7). */
export type AltName =
  { readonly type: 2; readonly value: string } | { readonly type: 7; readonly ip: string };

/**
 * A throwaway CA (EC P-256) and a server certificate for `altNames` it signed: what a loopback
 * server needs for clients that trust the CA.
 */
export async function caAndLeaf(caName: string, leafName: string, altNames: readonly AltName[]) {
  // Loaded only to make certificates: a `serve` that finds its certificates on disk is ~3 MB lighter.
  const { generate } = await import('selfsigned');
  const ca = await generate([{ name: 'commonName', value: caName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: leafName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...altNames] },
    ],
  });
  return { ca, leaf };
}

const serverKeyFile = 'server-key.pem';
const serverCertFile = 'server.pem';

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${threadId}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path);
}

/**
 * The local CA of an earlier run in this folder, else a new one: `fakepsp serve` and `fakepsp run`
 * keep one CA per project (`.fakepsp/tls`), so a billing service in another process trusts it
 * once (`NODE_EXTRA_CA_CERTS`) rather than after every restart. A certificate past its end is
 * replaced.
 *
 * @example
 * const tls = await loadOrCreateLocalTls('.fakepsp/tls');
 */
export async function loadOrCreateLocalTls(directory: string): Promise<LocalTls> {
  const folder = resolve(directory);
  const caPath = join(folder, 'ca.pem');
  try {
    const [key, cert, caCert] = await Promise.all(
      [serverKeyFile, serverCertFile, 'ca.pem'].map((file) => readFile(join(folder, file), 'utf8')),
    );
    const server = new X509Certificate(cert!);
    // Certificates expire in real time: a day's margin, read through the kernel's wall clock.
    const fresh = Date.parse(server.validTo) > wallClockMs() + 86_400_000;
    // Two processes making the folder at once may leave a mixed set: then it is made again.
    const whole =
      server.checkIssued(new X509Certificate(caCert!)) && server.checkPrivateKey(createPrivateKey(key!));
    if (fresh && whole) {
      return { key: key!, cert: cert!, caCert: caCert!, caPath };
    }
  } catch {
    // Missing or unreadable: make a new one below.
  }
  return createLocalTls(folder);
}
