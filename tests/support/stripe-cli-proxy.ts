import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import type { PspCore } from '../../src/fakes/common/psp-core.ts';
import { createHttpApp } from '../../src/transports/http-app.ts';
import { caAndLeaf } from '../../src/transports/local-tls.ts';

/** A CA and a certificate for Stripe's hosts it signed, so the CLI's TLS to `*.stripe.com` reaches us. */
export interface StripeHostsTls {
  readonly key: string;
  readonly cert: string;
  /** The CA certificate file, for the CLI's `SSL_CERT_FILE`. */
  readonly caPath: string;
}

/** Makes the throwaway CA (written to `folder`) and a `*.stripe.com` certificate. */
export async function stripeHostsTls(folder: string): Promise<StripeHostsTls> {
  const { ca, leaf } = await caAndLeaf('fakepsp stripe-cli test CA', 'stripe.com', [
    { type: 2, value: 'stripe.com' },
    { type: 2, value: '*.stripe.com' },
  ]);
  const caPath = join(folder, 'ca.pem');
  writeFileSync(caPath, ca.cert);
  return { key: leaf.private, cert: leaf.cert, caPath };
}

/** A loopback HTTP(S) proxy standing in for the network. */
export interface OutboundProxy {
  readonly url: string;
  /** Every host the CLI asked for, allowed or not. */
  readonly asked: readonly string[];
  close(): Promise<void>;
}

/**
 * The CLI's only way out: `CONNECT` to a `*.stripe.com` host is answered by the fake Stripe
 * (TLS ended here with {@link stripeHostsTls}); anything else (GitHub's release API for the
 * version check, telemetry) is refused at once, so nothing leaves the machine.
 */
export async function startOutboundProxy(tls: StripeHostsTls, core: PspCore): Promise<OutboundProxy> {
  const asked: string[] = [];
  const inner = createServer(createHttpApp(core));
  const proxy: Server = createServer((_req, res) => {
    res.statusCode = 403;
    res.end('fakepsp: plain-HTTP proxying is refused');
  });
  proxy.on('connect', (req, socket: Socket) => {
    const host = (req.url ?? '').replace(/:\d+$/, '');
    asked.push(host);
    if (host !== 'stripe.com' && !host.endsWith('.stripe.com')) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    inner.emit('connection', new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert }));
  });
  proxy.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => proxy.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    asked,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        inner.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
