import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { createStripeFake, type StripeFake, type StripeFakeOptions } from '../../src/fakes/stripe/index.ts';
import { createSimulation, type Simulation } from '../../src/sim/simulation.ts';
import { createHttpApp } from '../../src/transports/http-app.ts';
import { httpWebhookSender } from '../../src/transports/webhook-sender.ts';
import type { PspCore } from '../../src/fakes/common/psp-core.ts';
import { interceptCore, transportMode, type TransportMode } from './interception.ts';

export { transportMode, type TransportMode } from './interception.ts';

/** A fake Stripe reachable through the run's transport, with the official SDK pointed at it. */
export interface StripeHarness {
  readonly sim: Simulation;
  readonly fake: StripeFake;
  readonly stripe: Stripe;
  readonly transport: TransportMode;
  /** Where raw HTTP requests to the fake go (`http://127.0.0.1:PORT` or `https://api.stripe.com`). */
  readonly baseUrl: string;
  /** A raw `fetch` to the fake, for what the SDK cannot send (bad bodies, unknown routes). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** An SDK client with another key or options (e.g. a `stripeAccount`). */
  client(options?: Stripe.StripeConfig): Stripe;
  close(): Promise<void>;
}

export async function startStripe(
  seed = 1,
  mode: TransportMode = transportMode,
  options: StripeFakeOptions = {},
): Promise<StripeHarness> {
  const sim = createSimulation({ seed });
  const fake = createStripeFake(sim, { send: httpWebhookSender, ...options });
  const attached = await attach(mode, fake.core);
  const client = (options: Stripe.StripeConfig = {}) =>
    new Stripe('sk_test_fakepsp', {
      ...attached.sdkOptions,
      maxNetworkRetries: 0,
      telemetry: false,
      ...options,
    });
  return {
    sim,
    fake,
    stripe: client(),
    transport: mode,
    baseUrl: attached.baseUrl,
    fetch: (path, init) => fetch(`${attached.baseUrl}${path}`, init),
    client,
    close: attached.detach,
  };
}

interface Attached {
  readonly baseUrl: string;
  readonly sdkOptions: Stripe.StripeConfig;
  readonly detach: () => Promise<void>;
}

async function attach(mode: TransportMode, core: PspCore): Promise<Attached> {
  if (mode !== 'http') {
    return { baseUrl: 'https://api.stripe.com', sdkOptions: {}, detach: await interceptCore(mode, core) };
  }
  const server = createHttpApp(core).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sdkOptions: { host: '127.0.0.1', port, protocol: 'http' },
    detach: () => new Promise((resolve) => server.close(() => resolve())),
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
