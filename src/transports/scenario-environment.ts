import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripeFake } from '../fakes/stripe/index.ts';
import { registerWebhookEndpoint } from '../fakes/stripe/resources/webhook-endpoints.ts';
import type { EnvironmentFactory } from '../scenarios/environment.ts';
import { createSimulation } from '../sim/simulation.ts';
import { createExpressApp } from './express-app.ts';
import { fetchWebhookSender } from './webhook-sender.ts';

/**
 * The fakes of a scenario run, each on its own loopback port, so any SUT — in-process or in
 * another language — reaches them through the official SDKs. Webhook secrets are drawn from
 * the run's seed, as a dashboard would make them.
 */
export const loopbackEnvironment: EnvironmentFactory = async ({ seed }) => {
  const sim = createSimulation({ seed });
  const stripe = createStripeFake(sim, { send: fetchWebhookSender });
  const server: Server = createExpressApp(stripe.core).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const secrets = sim.stream('harness/secrets');
  const stripeWebhookSecret = `whsec_${secrets.string(32)}`;
  return {
    sim,
    stripe,
    available: ['stripe'],
    connections: {
      stripe: {
        apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        secretKey: 'sk_test_fakepsp_harness',
        webhookSecret: stripeWebhookSecret,
      },
    },
    registerWebhooks: (webhooks) => {
      if (webhooks.stripe === undefined) return;
      // One endpoint for the platform's events and one for connected accounts', same URL.
      registerWebhookEndpoint(stripe.runtime, { url: webhooks.stripe, secret: stripeWebhookSecret });
      registerWebhookEndpoint(stripe.runtime, {
        url: webhooks.stripe,
        secret: stripeWebhookSecret,
        connect: true,
      });
    },
    flush: () => stripe.flushWebhooks(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
