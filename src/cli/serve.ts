import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pc from 'picocolors';
import { startRealTimeTicker } from '../sim/real-time-ticker.ts';
import { createSimulation } from '../sim/simulation.ts';
import { wallClockMs } from '../sim/wall-clock.ts';
import { defaultAdyenApiKeys, newHmacKeyHex } from '../fakes/adyen/index.ts';
import { withAdmin } from '../fakes/common/admin.ts';
import type { PspCore, PspName } from '../fakes/common/psp-core.ts';
import { defaultRazorpayKeys } from '../fakes/razorpay/index.ts';
import type { StripeCore } from '../fakes/stripe/profile.ts';
import { createRunFakes } from '../harness/fakes.ts';
import type { Simulation } from '../sim/simulation.ts';
import { createHttpApp } from '../transports/http-app.ts';
import { loadOrCreateLocalTls } from '../transports/local-tls.ts';
import { httpWebhookSender } from '../transports/webhook-sender.ts';
import { serveJournalCharactersMax, serveJournalMax, serveWebhooksInFlight } from './serve-limits.ts';
import { checkSpillDir, serveJournalChunks, serveSpill } from './serve-spill.ts';
import { UsageError } from './usage-error.ts';

/** Options of `fakepsp serve`. */
export interface ServeOptions {
  readonly host: string;
  readonly stripePort: number;
  /** Default 12112; the fake Adyen always speaks HTTPS, as its SDK demands. */
  readonly adyenPort?: number;
  /** Default 12113. */
  readonly razorpayPort?: number;
  readonly seed: number;
  readonly clock: 'manual' | 'real';
  readonly stripeWebhookUrl?: string;
  readonly adyenWebhookUrl?: string;
  readonly razorpayWebhookUrl?: string;
  readonly stripeKey: string;
  /** The one API key the fake Adyen accepts (default `AQE_fakepsp_test_key`); any other gets 401. */
  readonly adyenKey?: string;
  /** Serve Stripe and Razorpay over HTTPS too, with the local CA written to this folder. */
  readonly tlsDir?: string;
  /** Where the local CA for Adyen's HTTPS goes when `tlsDir` is not given (default `.fakepsp/tls`). */
  readonly caDir?: string;
  /** Most journal records kept (default {@link serveJournalMax}); the oldest are forgotten past it. */
  readonly journalMax?: number;
  /** Past how many objects of a kind the fakes keep them on disk (default 10,000). */
  readonly spillAfter?: number;
  /** Where those objects go (default: the OS temporary folder). */
  readonly spillDir?: string;
}

/** A running `fakepsp serve`: its base URLs, the secrets it registered, and a way to stop it. */
export interface RunningServe {
  readonly urls: Readonly<Record<PspName, string>>;
  readonly stripeWebhookSecret?: string;
  /** The Razorpay key pair to give the service, and its webhook secret when one was registered. */
  readonly razorpay: { readonly keyId: string; readonly keySecret: string; readonly webhookSecret?: string };
  /** The HMAC key (hex) Adyen's webhooks are signed with, when one was registered. */
  readonly adyenHmacKey?: string;
  /** The CA file to trust (`NODE_EXTRA_CA_CERTS`): Adyen is always HTTPS. */
  readonly caPath: string;
  close(): Promise<void>;
}

/** One run of the fakes: a fresh simulation, and each fake's core with the admin API over it. */
interface Run {
  readonly sim: Simulation;
  readonly cores: Readonly<Record<PspName, PspCore>>;
  flush(): Promise<number>;
}

const razorpayKey = defaultRazorpayKeys[0]!;

/** The webhook secrets a dashboard would show: drawn from the seed, so a restart prints the same. */
interface ServeSecrets {
  readonly adyenHmacKey: string;
  readonly razorpayWebhookSecret: string;
  stripe?: string | undefined;
}

/** Starts one server per fake on loopback; resolves once every one listens. */
export async function serve(options: ServeOptions): Promise<RunningServe> {
  checkSpillDir(options.spillDir);
  const tls = await loadOrCreateLocalTls(options.tlsDir ?? options.caDir ?? '.fakepsp/tls');
  const seeded = createSimulation({ seed: options.seed }).stream('serve/secrets');
  const secrets: ServeSecrets = {
    adyenHmacKey: newHmacKeyHex(seeded),
    razorpayWebhookSecret: seeded.string(24),
  };
  // `POST /_fakepsp/reset` swaps in a fresh run; the servers keep answering through `holder`.
  const holder: { run?: Run } = {};
  const restart = async () => (holder.run = await startRun(options, secrets, restart));
  await restart();
  const run = () => holder.run!;
  const appFor = (psp: PspName) =>
    createHttpApp(
      { psp, handle: (request) => run().cores[psp].handle(request) },
      { afterResponse: () => run().flush() },
    );
  const servers = await listenAll(options, tls, appFor);
  const stopTicker =
    options.clock === 'real'
      ? startRealTimeTicker(
          () => run().sim.clock,
          () => run().flush(),
        )
      : () => undefined;
  const https = options.tlsDir !== undefined;
  return {
    urls: {
      stripe: baseUrl(servers.stripe, options.host, https),
      adyen: baseUrl(servers.adyen, options.host, true),
      razorpay: baseUrl(servers.razorpay, options.host, https),
    },
    ...(secrets.stripe === undefined ? {} : { stripeWebhookSecret: secrets.stripe }),
    razorpay: {
      ...razorpayKey,
      ...(options.razorpayWebhookUrl === undefined ? {} : { webhookSecret: secrets.razorpayWebhookSecret }),
    },
    ...(options.adyenWebhookUrl === undefined ? {} : { adyenHmacKey: secrets.adyenHmacKey }),
    caPath: tls.caPath,
    close: async () => {
      stopTicker();
      await Promise.all(Object.values(servers).map(closed));
    },
  };
}

const adyenKeyOf = (options: Pick<ServeOptions, 'adyenKey'>) =>
  options.adyenKey ?? defaultAdyenApiKeys[0]!.apiKey;

/** A fresh run: the fakes with the admin API over each core, and the webhooks the flags name. */
async function startRun(
  options: ServeOptions,
  secrets: ServeSecrets,
  restart: () => Promise<unknown>,
): Promise<Run> {
  const sim = createSimulation({
    seed: options.seed,
    journalRecordsMax: options.journalMax ?? serveJournalMax,
    journalCharactersMax: serveJournalCharactersMax,
    journalSealedChunks: serveJournalChunks(options.spillDir),
    ...(options.clock === 'real' ? { startAtMs: wallClockMs() } : {}),
  });
  const fakes = createRunFakes(sim, {
    send: httpWebhookSender,
    adyenApiKeys: [{ apiKey: adyenKeyOf(options) }],
    spill: serveSpill(options),
    webhooksInFlight: serveWebhooksInFlight,
    // A long serve trusts the handlers the tests ran frozen: see `trustHandlers`.
    freezeState: false,
  });
  const reset = async () => {
    await restart();
    return { reset: true, seed: options.seed };
  };
  const cores = Object.fromEntries(
    fakes.all.map((fake) => [
      fake.psp,
      withAdmin(fake.core, {
        psp: fake.psp,
        sim,
        state: () => fake.dump(),
        flushWebhooks: () => fakes.flush(),
        faults: fakes.faults,
        actions: fake.actions,
        reset,
      }),
    ]),
  ) as Record<PspName, PspCore>;
  if (options.stripeWebhookUrl !== undefined)
    secrets.stripe = await registerStripeEndpoint(
      fakes.stripe.core,
      options.stripeKey,
      options.stripeWebhookUrl,
    );
  if (options.adyenWebhookUrl !== undefined)
    fakes.adyen.registerWebhook({ url: options.adyenWebhookUrl, hmacKeyHex: secrets.adyenHmacKey });
  if (options.razorpayWebhookUrl !== undefined)
    fakes.razorpay.registerWebhook({
      url: options.razorpayWebhookUrl,
      secret: secrets.razorpayWebhookSecret,
    });
  return { sim, cores, flush: () => fakes.flush() };
}

/** Every fake's server listening, or none: a port in use closes the others and says which. */
async function listenAll(
  options: ServeOptions,
  tls: { readonly key: string; readonly cert: string },
  appFor: (psp: PspName) => ReturnType<typeof createHttpApp>,
): Promise<Record<PspName, Server>> {
  const ports = {
    stripe: options.stripePort,
    adyen: options.adyenPort ?? 12112,
    razorpay: options.razorpayPort ?? 12113,
  };
  const secure = (psp: PspName) => createHttpsServer(tls, appFor(psp)).listen(ports[psp], options.host);
  const plain = (psp: PspName) =>
    options.tlsDir === undefined ? appFor(psp).listen(ports[psp], options.host) : secure(psp);
  const servers = { stripe: plain('stripe'), adyen: secure('adyen'), razorpay: plain('razorpay') };
  const listening = await Promise.allSettled(
    (['stripe', 'adyen', 'razorpay'] as const).map((psp) => listen(servers[psp], psp, options.host, ports)),
  );
  const failed = listening.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(Object.values(servers).map(closed));
    throw failed.reason;
  }
  return servers;
}

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

// What a dashboard would do: an endpoint for every event, whose secret is printed.
async function registerStripeEndpoint(
  core: StripeCore,
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

function baseUrl(server: Server, host: string, https: boolean): string {
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `${https ? 'https' : 'http'}://${shownHost}:${(server.address() as AddressInfo).port}`;
}

// A port that is taken is a usage mistake: say which fake, which port and which flag moves it.
function listen(
  server: Server,
  psp: PspName,
  host: string,
  ports: Readonly<Record<PspName, number>>,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      const flag = `--${psp}-port`;
      if (error.code === 'EADDRINUSE')
        reject(
          new UsageError(
            `the fake ${psp} cannot listen on ${host}:${ports[psp]}: the port is in use; choose another with ${flag}`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          new UsageError(
            `the fake ${psp} may not listen on ${host}:${ports[psp]} (${flag}): permission denied`,
          ),
        );
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new UsageError(`the fake ${psp} cannot listen on ${host} (--host): no such local address`));
      else reject(error);
    });
  });
}

/** The lines `fakepsp serve` prints once it is ready. */
export function readyLines(running: RunningServe, options: ServeOptions): string[] {
  const { urls } = running;
  const lines = [
    pc.bold(`fakepsp serve · seed ${options.seed} · clock ${options.clock}`),
    `${pc.green('ready')} stripe     ${urls.stripe}   admin ${urls.stripe}/_fakepsp/health`,
    `${pc.green('ready')} adyen      ${urls.adyen}   admin ${urls.adyen}/_fakepsp/health`,
    `${pc.green('ready')} razorpay   ${urls.razorpay}   admin ${urls.razorpay}/_fakepsp/health`,
    '',
    pc.dim('# point your billing service at the fakes (official SDKs; see the README for each SDK):'),
    `export STRIPE_API_BASE=${urls.stripe}`,
    `export STRIPE_SECRET_KEY=${options.stripeKey}`,
  ];
  if (running.stripeWebhookSecret !== undefined) {
    lines.push(`export STRIPE_WEBHOOK_SECRET=${running.stripeWebhookSecret}`);
  }
  lines.push(`export ADYEN_API_BASE=${urls.adyen}`, `export ADYEN_API_KEY=${adyenKeyOf(options)}`);
  if (running.adyenHmacKey !== undefined) lines.push(`export ADYEN_HMAC_KEY=${running.adyenHmacKey}`);
  lines.push(
    `export RAZORPAY_API_BASE=${urls.razorpay}`,
    `export RAZORPAY_KEY_ID=${running.razorpay.keyId}`,
    `export RAZORPAY_KEY_SECRET=${running.razorpay.keySecret}`,
  );
  if (running.razorpay.webhookSecret !== undefined) {
    lines.push(`export RAZORPAY_WEBHOOK_SECRET=${running.razorpay.webhookSecret}`);
  }
  lines.push(`export NODE_EXTRA_CA_CERTS=${running.caPath}`);
  return lines;
}
