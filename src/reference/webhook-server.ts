import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** A loopback webhook receiver. */
export interface WebhookServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the service's webhook receiver on 127.0.0.1 (an ephemeral port). It hands `handle` the
 * raw body — signatures are computed over the exact bytes — and answers with its status.
 */
export async function startWebhookServer(
  handle: (rawBody: string, signature: string | undefined) => Promise<number>,
): Promise<WebhookServer> {
  const app = express();
  app.post('/webhooks/stripe', express.raw({ type: () => true, limit: '1mb' }), async (request, response) => {
    const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    const status = await handle(raw, request.header('stripe-signature'));
    response.status(status).json({ received: status < 300 });
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
