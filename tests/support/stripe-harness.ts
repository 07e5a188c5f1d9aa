import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { createStripeFake, type StripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation, type Simulation } from '../../src/sim/simulation.ts';
import { createExpressApp } from '../../src/transports/express-app.ts';
import { fetchWebhookSender } from '../../src/transports/webhook-sender.ts';

/** A fake Stripe on a loopback port with the official SDK pointed at it. */
export interface StripeHarness {
  readonly sim: Simulation;
  readonly fake: StripeFake;
  readonly stripe: Stripe;
  readonly port: number;
  /** An SDK client with another key or options (e.g. a `stripeAccount`). */
  client(options?: Stripe.StripeConfig): Stripe;
  close(): Promise<void>;
}

export async function startStripe(seed = 1): Promise<StripeHarness> {
  const sim = createSimulation({ seed });
  const fake = createStripeFake(sim, { send: fetchWebhookSender });
  const server = createExpressApp(fake.core).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const client = (options: Stripe.StripeConfig = {}) =>
    new Stripe('sk_test_fakepsp', {
      host: '127.0.0.1',
      port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
      ...options,
    });
  return {
    sim,
    fake,
    stripe: client(),
    port,
    client,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A captured webhook request. */
export interface ReceivedWebhook {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A loopback HTTP receiver for webhooks that answers with `status()` and records everything. */
export async function startWebhookReceiver(status: () => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = status();
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
