import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newHmacKeyHex } from '../fakes/adyen/index.ts';
import { defaultRazorpayKeys } from '../fakes/razorpay/index.ts';
import type { RowSpill } from '../fakes/common/row-map.ts';
import { createRunFakes } from '../harness/fakes.ts';
import type { EnvironmentFactory } from '../scenarios/environment.ts';
import { createSimulation } from '../sim/simulation.ts';
import { trustCaCertificate } from './adyen-sdk.ts';
import { createHttpApp } from './http-app.ts';
import { loadOrCreateLocalTls, type LocalTls } from './local-tls.ts';
import { httpWebhookSender } from './webhook-sender.ts';

/** The Razorpay key pair the harness hands the SUT (the fake's default pair). */
const razorpayKey = defaultRazorpayKeys[0]!;

/** The Adyen API key the harness hands the SUT, with the one merchant account it may use. */
const adyenKey = { apiKey: 'AQE_fakepsp_harness_key', merchantAccounts: ['FakepspHarnessECOM'] } as const;

/**
 * Where the local CA lives: the project's `.fakepsp/tls` (`FAKEPSP_TLS_DIR` to move it), shared
 * with `fakepsp serve`, so a SUT in another process trusts `ca.pem` once.
 */
export const localTlsDir = process.env.FAKEPSP_TLS_DIR ?? join('.fakepsp', 'tls');

// One local CA per process: the Adyen SDK speaks only HTTPS, and an in-process SUT must trust
// the fake's certificate. Loading or making it takes a moment, so every run of the process shares it.
let loopbackTls: Promise<LocalTls> | undefined;

/** The local CA and certificate the fake Adyen of every run in this process serves with. */
export function sharedTls(): Promise<LocalTls> {
  loopbackTls ??= loadOrCreateLocalTls(localTlsDir).then((tls) => {
    trustCaCertificate(tls.caCert);
    return tls;
  });
  return loopbackTls;
}

/**
 * Uses a CA made elsewhere (the main thread of `fakepsp run --workers`), so worker threads do not
 * each make their own and race to install it in the trust store.
 */
export function useSharedTls(tls: LocalTls): void {
  trustCaCertificate(tls.caCert);
  loopbackTls = Promise.resolve(tls);
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return (server.address() as AddressInfo).port;
}

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * The fakes of a scenario run, each on its own loopback port (Adyen over HTTPS, as its SDK
 * demands), so any SUT — in-process or in another language — reaches them through the official
 * SDKs. Webhook secrets are drawn from the run's seed, as a dashboard would make them.
 */
export const loopbackEnvironment: EnvironmentFactory = (options) => loopbackEnvironmentWith({})(options);

/**
 * {@link loopbackEnvironment} with fakes set up as `serve`'s are (a test of them): the fake Stripe
 * each fake
 * spilling its objects as `spill` says, the fakes' state unfrozen when `freezeState` is false.
 */
export const loopbackEnvironmentWith =
  (options: { readonly spill?: RowSpill; readonly freezeState?: boolean }): EnvironmentFactory =>
  async ({ seed }) => {
    const sim = createSimulation({ seed });
    const fakes = createRunFakes(sim, { send: httpWebhookSender, adyenApiKeys: [adyenKey], ...options });
    const { faults, stripe, adyen, razorpay } = fakes;
    const tls = await sharedTls();
    const servers: Server[] = [
      createHttpApp(stripe.core).listen(0, '127.0.0.1'),
      createHttpsServer({ key: tls.key, cert: tls.cert }, createHttpApp(adyen.core)).listen(0, '127.0.0.1'),
      createHttpApp(razorpay.core).listen(0, '127.0.0.1'),
    ];
    const [stripePort, adyenPort, razorpayPort] = await Promise.all(servers.map(listening));
    sim.journal.nameLoopbackPort(stripePort!, 'stripe.fakepsp');
    sim.journal.nameLoopbackPort(adyenPort!, 'adyen.fakepsp');
    sim.journal.nameLoopbackPort(razorpayPort!, 'razorpay.fakepsp');
    const secrets = sim.stream('harness/secrets');
    const stripeWebhookSecret = `whsec_${secrets.string(32)}`;
    const adyenHmacKey = newHmacKeyHex(secrets);
    const razorpayWebhookSecret = secrets.string(24);
    return {
      sim,
      faults,
      stripe,
      adyen,
      razorpay,
      fakes: fakes.all,
      available: ['stripe', 'adyen', 'razorpay'],
      connections: {
        stripe: {
          apiBase: `http://127.0.0.1:${stripePort}`,
          secretKey: 'sk_test_fakepsp_harness',
          webhookSecret: stripeWebhookSecret,
        },
        adyen: {
          apiBase: `https://127.0.0.1:${adyenPort}`,
          apiKey: adyenKey.apiKey,
          merchantAccount: adyenKey.merchantAccounts[0],
          hmacKey: adyenHmacKey,
        },
        razorpay: {
          apiBase: `http://127.0.0.1:${razorpayPort}`,
          ...razorpayKey,
          webhookSecret: razorpayWebhookSecret,
        },
      },
      registerWebhooks: (webhooks) => {
        if (webhooks.stripe !== undefined) {
          // One endpoint for the platform's events and one for connected accounts', same URL.
          stripe.registerWebhook({ url: webhooks.stripe, secret: stripeWebhookSecret });
          stripe.registerWebhook({ url: webhooks.stripe, secret: stripeWebhookSecret, connect: true });
        }
        if (webhooks.adyen !== undefined)
          adyen.registerWebhook({ url: webhooks.adyen, hmacKeyHex: adyenHmacKey });
        if (webhooks.razorpay !== undefined)
          razorpay.registerWebhook({ url: webhooks.razorpay, secret: razorpayWebhookSecret });
      },
      flush: () => fakes.flush(),
      close: async () => {
        await Promise.all(servers.map(closed));
      },
    };
  };
