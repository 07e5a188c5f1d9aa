import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pc from 'picocolors';
import type { JsonValue } from '../sim/canonical-json.ts';
import { startRealTimeTicker } from '../sim/real-time-ticker.ts';
import { createSimulation } from '../sim/simulation.ts';
import { wallClockMs } from '../sim/wall-clock.ts';
import { withAdmin } from '../fakes/common/admin.ts';
import { stripeAdminActions } from '../fakes/stripe/admin-actions.ts';
import { createStripeFake, type StripeFake } from '../fakes/stripe/index.ts';
import type { PspCore } from '../fakes/common/psp-core.ts';
import type { Simulation } from '../sim/simulation.ts';
import { createExpressApp } from '../transports/express-app.ts';
import { createLocalTls, type LocalTls } from '../transports/local-tls.ts';
import { fetchWebhookSender } from '../transports/webhook-sender.ts';

/** Options of `fakepsp serve`. */
export interface ServeOptions {
  readonly host: string;
  readonly stripePort: number;
  readonly seed: number;
  readonly clock: 'manual' | 'real';
  readonly stripeWebhookUrl?: string;
  readonly stripeKey: string;
  /** Serve HTTPS with a generated local CA, written to this folder. */
  readonly tlsDir?: string;
}

/** A running `fakepsp serve`: its base URLs and a way to stop it. */
export interface RunningServe {
  readonly urls: { readonly stripe: string };
  readonly stripeWebhookSecret?: string;
  /** The CA file to trust (`NODE_EXTRA_CA_CERTS`) when serving HTTPS. */
  readonly caPath?: string;
  close(): Promise<void>;
}

/** One run of the fakes: a fresh simulation, its fake Stripe, and the admin API over it. */
interface Run {
  readonly sim: Simulation;
  readonly stripe: StripeFake;
  readonly core: PspCore;
}

/** Starts one server per fake on loopback; resolves once every one listens. */
export async function serve(options: ServeOptions): Promise<RunningServe> {
  const tls = options.tlsDir === undefined ? undefined : await createLocalTls(options.tlsDir);
  // `POST /_fakepsp/reset` swaps in a fresh run; the server keeps answering through `run`.
  const startRun = async (): Promise<Run> => {
    const sim = createSimulation({
      seed: options.seed,
      ...(options.clock === 'real' ? { startAtMs: wallClockMs() } : {}),
    });
    const stripe = createStripeFake(sim, { send: fetchWebhookSender });
    const core = withAdmin(stripe.core, {
      psp: 'stripe',
      sim,
      state: () => stripe.runtime.store.dump() as unknown as JsonValue,
      flushWebhooks: stripe.flushWebhooks,
      faults: stripe.runtime.faults,
      actions: stripeAdminActions(stripe.runtime),
      reset: async () => {
        run = await startRun();
        return { reset: true, seed: options.seed };
      },
    });
    if (options.stripeWebhookUrl !== undefined) {
      secret = await registerStripeEndpoint(stripe.core, options.stripeKey, options.stripeWebhookUrl);
    }
    return { sim, stripe, core };
  };
  let secret: string | undefined;
  let run = await startRun();
  const app = createExpressApp(
    { psp: 'stripe', handle: (request) => run.core.handle(request) },
    { afterResponse: () => run.stripe.flushWebhooks() },
  );
  const server = await listen(
    tls === undefined
      ? app.listen(options.stripePort, options.host)
      : createHttpsServer(tls, app).listen(options.stripePort, options.host),
  );
  const stopTicker =
    options.clock === 'real'
      ? startRealTimeTicker(
          () => run.sim.clock,
          () => run.stripe.flushWebhooks(),
        )
      : () => undefined;
  return {
    urls: { stripe: baseUrl(server, options.host, tls) },
    ...(secret === undefined ? {} : { stripeWebhookSecret: secret }),
    ...(tls === undefined ? {} : { caPath: tls.caPath }),
    close: async () => {
      stopTicker();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// What a dashboard would do: an endpoint for every event, whose secret is printed.
async function registerStripeEndpoint(
  core: ReturnType<typeof createStripeFake>['core'],
  key: string,
  url: string,
): Promise<string | undefined> {
  const result = await core.handle({
    method: 'POST',
    path: '/v1/webhook_endpoints',
    query: '',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
    rawBody: new URLSearchParams({ url, 'enabled_events[]': '*' }).toString(),
  });
  return (JSON.parse(result.response.body) as { secret?: string }).secret;
}

function baseUrl(server: Server, host: string, tls: LocalTls | undefined): string {
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `${tls === undefined ? 'http' : 'https'}://${shownHost}:${(server.address() as AddressInfo).port}`;
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** The lines `fakepsp serve` prints once it is ready. */
export function readyLines(running: RunningServe, options: ServeOptions): string[] {
  const lines = [
    pc.bold(`fakepsp serve · seed ${options.seed} · clock ${options.clock}`),
    `${pc.green('ready')} stripe   ${running.urls.stripe}   admin ${running.urls.stripe}/_fakepsp/health`,
    '',
    pc.dim('# point your billing service at the fakes (official SDKs: host/port/protocol from the URL):'),
    `export STRIPE_API_BASE=${running.urls.stripe}`,
    `export STRIPE_SECRET_KEY=${options.stripeKey}`,
  ];
  if (running.stripeWebhookSecret !== undefined) {
    lines.push(`export STRIPE_WEBHOOK_SECRET=${running.stripeWebhookSecret}`);
  }
  if (running.caPath !== undefined) lines.push(`export NODE_EXTRA_CA_CERTS=${running.caPath}`);
  return lines;
}
