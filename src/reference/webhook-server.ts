import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { PspName } from '../fakes/common/psp-core.ts';

/** A loopback webhook receiver with one path per PSP. */
export interface WebhookServer {
  /** Where each PSP's webhooks go. */
  readonly urls: Readonly<Record<PspName, string>>;
  close(): Promise<void>;
}

/** Handles one delivery: its raw body and lowercase headers in, the HTTP status out. */
export type WebhookHandler = (rawBody: string, headers: Readonly<Record<string, string>>) => Promise<number>;

const psps: readonly PspName[] = ['stripe', 'adyen', 'razorpay'];

/**
 * Starts the service's webhook receiver on 127.0.0.1 (an ephemeral port): `POST /webhooks/<psp>`.
 * It hands `handle` the raw body — signatures are computed over the exact bytes — and answers
 * with its status.
 */
export async function startWebhookServer(handle: (psp: PspName) => WebhookHandler): Promise<WebhookServer> {
  const app = express();
  for (const psp of psps) {
    app.post(
      `/webhooks/${psp}`,
      express.raw({ type: () => true, limit: '1mb' }),
      async (request, response) => {
        const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === 'string') headers[name] = value;
        }
        const status = await handle(psp)(raw, headers);
        // Adyen's documented acknowledgement; the others only read the status.
        if (psp === 'adyen' && status < 300) response.status(status).send('[accepted]');
        else response.status(status).json({ received: status < 300 });
      },
    );
  }
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/webhooks`;
  return {
    urls: { stripe: `${base}/stripe`, adyen: `${base}/adyen`, razorpay: `${base}/razorpay` },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
