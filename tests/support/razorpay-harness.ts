import { afterEach, beforeEach } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Razorpay from 'razorpay';
import type { PspCore } from '../../src/fakes/common/psp-core.ts';
import {
  createRazorpayFake,
  type RazorpayDump,
  type RazorpayFake,
  type RazorpayFakeOptions,
} from '../../src/fakes/razorpay/index.ts';
import { createSimulation, type Simulation } from '../../src/sim/simulation.ts';
import { createHttpApp } from '../../src/transports/http-app.ts';
import { httpWebhookSender } from '../../src/transports/webhook-sender.ts';
import { interceptCore, transportMode, type TransportMode } from './interception.ts';

export { transportMode, type TransportMode } from './interception.ts';

/** The harness's API key pair (the fake's default). */
export const keyId = 'rzp_test_fakepsp';
export const keySecret = 'fakepsp_test_secret';

/** The webhook secret the harness registers, as a merchant types it in the dashboard. */
export const webhookSecret = 'fakepsp_webhook_secret';

// The SDK's axios instance: razorpay-node has no host option and no per-request headers.
interface AxiosRequestConfig {
  url?: string;
  headers: Record<string, unknown>;
}
interface AxiosLike {
  readonly defaults: { baseURL?: string };
  readonly interceptors: {
    readonly request: {
      use(change: (config: AxiosRequestConfig) => AxiosRequestConfig): number;
      eject(id: number): void;
    };
  };
}

/** The SDK's axios instance of a client. */
export function axiosOf(rzp: Razorpay): AxiosLike {
  return (rzp.api as unknown as { readonly rq: AxiosLike }).rq;
}

/**
 * Sends `X-Refund-Idempotency` on the client's refund requests, the only way razorpay-node can
 * (an axios request interceptor): `set('key-…')` for the next refunds, `set(undefined)` to stop.
 */
export function refundIdempotency(rzp: Razorpay): { set(key: string | undefined): void; eject(): void } {
  let current: string | undefined;
  const rq = axiosOf(rzp);
  const id = rq.interceptors.request.use((config) => {
    if (current !== undefined && /\/refund$/.test(config.url ?? ''))
      config.headers['X-Refund-Idempotency'] = current;
    return config;
  });
  return { set: (key) => (current = key), eject: () => rq.interceptors.request.eject(id) };
}

/** A fake Razorpay reachable through the run's transport, with the official SDK pointed at it. */
export interface RazorpayHarness {
  readonly sim: Simulation;
  readonly fake: RazorpayFake;
  /** The official SDK with the harness's key pair. */
  readonly rzp: Razorpay;
  readonly transport: TransportMode;
  /** Where raw requests go: `http://127.0.0.1:PORT` or `https://api.razorpay.com`. */
  readonly baseUrl: string;
  /** An SDK client with another key pair (a wrong secret, a live key). */
  client(key?: { readonly key_id: string; readonly key_secret: string }): Razorpay;
  /** A raw `fetch` to the fake, for what the SDK cannot send (bad bodies, unknown paths, no auth). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The fake's state, typed. */
  dump(): RazorpayDump;
  close(): Promise<void>;
}

/** `Authorization` for raw requests with the harness's key pair. */
export const basicAuth = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;

interface Attached {
  readonly baseUrl: string;
  readonly detach: () => Promise<void>;
}

async function attach(mode: TransportMode, core: PspCore): Promise<Attached> {
  if (mode !== 'http') {
    return { baseUrl: 'https://api.razorpay.com', detach: await interceptCore(mode, core) };
  }
  const server = createHttpApp(core).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    detach: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Starts a fake Razorpay over the transport of this run (`FAKEPSP_TRANSPORT`, default http).
 * Over HTTP the SDK's base URL is the one line changed (`rzp.api.rq.defaults.baseURL`);
 * msw and nock answer `api.razorpay.com` and the SDK is used unchanged.
 */
export async function startRazorpay(
  seed = 1,
  mode: TransportMode = transportMode,
  options: Omit<RazorpayFakeOptions, 'send'> = {},
): Promise<RazorpayHarness> {
  const sim = createSimulation({ seed });
  const fake = createRazorpayFake(sim, { send: httpWebhookSender, ...options });
  const attached = await attach(mode, fake.core);
  const client = (key = { key_id: keyId, key_secret: keySecret }) => {
    const rzp = new Razorpay(key);
    if (mode === 'http') axiosOf(rzp).defaults.baseURL = attached.baseUrl;
    return rzp;
  };
  return {
    sim,
    fake,
    rzp: client(),
    transport: mode,
    baseUrl: attached.baseUrl,
    client,
    fetch: (path, init) => fetch(`${attached.baseUrl}${path}`, init),
    dump: () => fake.dump() as unknown as RazorpayDump,
    close: attached.detach,
  };
}

/** A webhook POST as the receiver got it, its signature checked by the SDK's own validator. */
export interface ReceivedRazorpayWebhook {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly event: {
    readonly event: string;
    readonly contains: string[];
    readonly payload: Record<string, any>;
  };
  /** `Razorpay.validateWebhookSignature(body, X-Razorpay-Signature, secret)`. */
  readonly verified: boolean;
}

/**
 * A loopback receiver for Razorpay webhooks: answers `status()` (any 2xx acknowledges) and
 * verifies every signature with `Razorpay.validateWebhookSignature` over the raw body.
 */
export async function startRazorpayWebhookReceiver(
  secret: string = webhookSecret,
  status: () => number = () => 200,
) {
  const received: ReceivedRazorpayWebhook[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const signature = String(req.headers['x-razorpay-signature'] ?? '');
      const verified = Razorpay.validateWebhookSignature(body, signature, secret);
      received.push({
        headers: req.headers,
        body,
        event: JSON.parse(body) as ReceivedRazorpayWebhook['event'],
        verified,
      });
      res.statusCode = status();
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/razorpay`;
  return {
    url,
    received,
    /** The event names received so far, in order. */
    events: () => received.map((request) => request.event.event),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { caught } from './caught.ts';

/** A fake Razorpay and a webhook receiver for each test of the file, both stopped after it. */
export function razorpayAndReceiverEachTest(
  use: (started: {
    readonly h: RazorpayHarness;
    readonly receiver: Awaited<ReturnType<typeof startRazorpayWebhookReceiver>>;
  }) => void,
): void {
  let stop = async () => undefined as void;
  beforeEach(async () => {
    const h = await startRazorpay();
    const receiver = await startRazorpayWebhookReceiver();
    h.fake.registerWebhook({ url: receiver.url, secret: webhookSecret });
    stop = async () => {
      await receiver.close();
      await h.close();
    };
    use({ h, receiver });
  });
  afterEach(() => stop());
}
