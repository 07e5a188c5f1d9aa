import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { CheckoutAPI, Client, EnvironmentEnum, hmacValidator, Types } from '@adyen/api-library';
import type { PspCore } from '../../src/fakes/common/psp-core.ts';
import { createAdyenFake, type AdyenFake, type AdyenFakeOptions } from '../../src/fakes/adyen/index.ts';
import { createSimulation, type Simulation } from '../../src/sim/simulation.ts';
import { adyenHttpClient } from '../../src/transports/adyen-sdk.ts';
import { createHttpApp } from '../../src/transports/http-app.ts';
import { sharedTls } from '../../src/transports/scenario-environment.ts';
import { httpWebhookSender } from '../../src/transports/webhook-sender.ts';
import { interceptCore, transportMode, type TransportMode } from './interception.ts';

export { transportMode, type TransportMode } from './interception.ts';

/** The harness's API key and merchant account. */
export const apiKey = 'AQE_fakepsp_test_key';

/** A second key of the same account (idempotency keys are scoped per API key). */
export const otherApiKey = 'AQE_another_key';
export const merchantAccount = 'FakepspECOM';

/** A webhook HMAC key (64 hex characters), as the Customer Area generates them. */
export const hmacKeyHex = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

/** The Checkout services of one SDK client, held once: the SDK's getters build a new one per access. */
export interface CheckoutServices {
  readonly payments: CheckoutAPI['PaymentsApi'];
  readonly modifications: CheckoutAPI['ModificationsApi'];
  readonly recurring: CheckoutAPI['RecurringApi'];
  readonly links: CheckoutAPI['PaymentLinksApi'];
}

/** A fake Adyen reachable through the run's transport, with the official SDK pointed at it. */
export interface AdyenHarness extends CheckoutServices {
  readonly sim: Simulation;
  readonly fake: AdyenFake;
  readonly transport: TransportMode;
  /** Where raw requests go: `https://127.0.0.1:PORT` or `https://checkout-test.adyen.com`. */
  readonly baseUrl: string;
  /** An SDK client with another configuration (another key, no key, Basic auth). */
  client(config?: ConstructorParameters<typeof Client>[0]): CheckoutServices;
  /** A raw `fetch` to the fake, for what the SDK cannot send (bad bodies, unknown paths). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

interface Attached {
  readonly baseUrl: string;
  readonly httpClient: ReturnType<typeof adyenHttpClient> | undefined;
  readonly detach: () => Promise<void>;
}

async function attach(mode: TransportMode, core: PspCore): Promise<Attached> {
  if (mode !== 'http') {
    return {
      baseUrl: 'https://checkout-test.adyen.com',
      httpClient: undefined,
      detach: await interceptCore(mode, core),
    };
  }
  // The project's local CA, trusted in-process as a Node service would with `trustCaCertificate`.
  const tls = await sharedTls();
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, createHttpApp(core));
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    httpClient: adyenHttpClient(baseUrl),
    detach: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Starts a fake Adyen over the transport of this run (`FAKEPSP_TRANSPORT`, default http). */
export async function startAdyen(
  seed = 1,
  mode: TransportMode = transportMode,
  options: Omit<AdyenFakeOptions, 'send'> = {},
): Promise<AdyenHarness> {
  const sim = createSimulation({ seed });
  const fake = createAdyenFake(sim, {
    send: httpWebhookSender,
    apiKeys: [{ apiKey }, { apiKey: otherApiKey }],
    ...options,
  });
  const attached = await attach(mode, fake.core);
  const client = (
    config: ConstructorParameters<typeof Client>[0] = { apiKey, environment: EnvironmentEnum.TEST },
  ) => {
    const sdk =
      attached.httpClient === undefined
        ? new Client(config)
        : new Client(config, adyenHttpClient(attached.baseUrl));
    const checkout = new CheckoutAPI(sdk);
    return {
      payments: checkout.PaymentsApi,
      modifications: checkout.ModificationsApi,
      recurring: checkout.RecurringApi,
      links: checkout.PaymentLinksApi,
    };
  };
  return {
    sim,
    fake,
    transport: mode,
    baseUrl: attached.baseUrl,
    ...client(),
    client,
    fetch: (path, init) => fetch(`${attached.baseUrl}${path}`, init),
    close: attached.detach,
  };
}

/** A webhook POST as the receiver got it, with each item's signature checked by the SDK. */
export interface ReceivedNotification {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly items: Types.notification.NotificationRequestItem[];
  /** `hmacValidator.validateHMAC` per item, with the harness's key. */
  readonly verified: boolean[];
}

/**
 * A loopback receiver for Adyen's standard webhooks: verifies every item's HMAC with the SDK's
 * own `hmacValidator` and answers `status(verified)` (any 2xx acknowledges).
 */
export async function startAdyenWebhookReceiver(
  key: string = hmacKeyHex,
  status: (verified: boolean) => number = () => 200,
) {
  const validator = new hmacValidator();
  const received: ReceivedNotification[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const parsed = JSON.parse(body) as Types.notification.Notification;
      const items = parsed.notificationItems.map((entry) => entry.NotificationRequestItem);
      const verified = items.map((item) => {
        try {
          return validator.validateHMAC(item, key);
        } catch {
          return false;
        }
      });
      received.push({ headers: req.headers, body, items, verified });
      res.statusCode = status(verified.every(Boolean));
      res.end('[accepted]');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/adyen`;
  return {
    url,
    received,
    /** Every item received so far, in order. */
    items: () => received.flatMap((request) => request.items),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A card payment request as a shop sends one, with Adyen's encrypted test placeholders. */
export function cardPayment(
  overrides: Partial<Types.checkout.PaymentRequest> & { holderName?: string } = {},
): Types.checkout.PaymentRequest {
  const { holderName, ...rest } = overrides;
  return {
    amount: { value: 1000, currency: 'EUR' },
    merchantAccount,
    reference: 'order-1',
    returnUrl: 'https://shop.example/return',
    paymentMethod: {
      type: Types.checkout.CardDetails.TypeEnum.Scheme,
      encryptedCardNumber: 'test_4111111111111111',
      encryptedExpiryMonth: 'test_03',
      encryptedExpiryYear: 'test_2030',
      encryptedSecurityCode: 'test_737',
      holderName: holderName ?? 'John Smith',
    },
    ...rest,
  };
}

export { caught } from './caught.ts';

/**
 * A fresh fake Adyen for each test of the file, its webhooks signed with {@link hmacKeyHex} and
 * sent to one receiver the file shares (emptied before each test).
 */
export function adyenAndReceiverEachTest(
  use: (started: {
    readonly h: AdyenHarness;
    readonly receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
  }) => void,
): void {
  let receiver: Awaited<ReturnType<typeof startAdyenWebhookReceiver>>;
  let h: AdyenHarness | undefined;
  beforeAll(async () => {
    receiver = await startAdyenWebhookReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(async () => {
    h = await startAdyen();
    receiver.received.length = 0;
    h.fake.registerWebhook({ url: receiver.url, hmacKeyHex });
    use({ h, receiver });
  });
  afterEach(() => h?.close());
}
