import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';

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
  const ca = await generate([{ name: 'commonName', value: 'fakepsp local CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const folder = resolve(directory);
  await mkdir(folder, { recursive: true });
  const caPath = join(folder, 'ca.pem');
  await writeFile(caPath, ca.cert);
  return { key: server.private, cert: server.cert, caCert: ca.cert, caPath };
}
