import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStripeFake, type StripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { wallClockMs } from '../../src/sim/wall-clock.ts';
import { createHttpApp } from '../../src/transports/http-app.ts';
import { startOutboundProxy, stripeHostsTls, type StripeHostsTls } from './stripe-cli-proxy.ts';

/**
 * The Stripe CLI's Go binary: `FAKEPSP_STRIPE_CLI` (what `.ci/run` installs), else the
 * per-platform package of `@stripe/cli` if installed here. Not a devDependency: the registry
 * here has only the Linux build, so the lockfile could not name the others `npm ci` wants.
 */
export function stripeCliBinary(): string | null {
  const given = process.env.FAKEPSP_STRIPE_CLI;
  if (given !== undefined && given !== '') return existsSync(given) ? given : null;
  const require = createRequire(import.meta.url);
  const name = `@stripe/cli-${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`;
  try {
    const folder = join(require.resolve(`${name}/package.json`), '..');
    const binary = join(folder, 'bin', process.platform === 'win32' ? 'stripe.exe' : 'stripe');
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Virtual time allowed for Stripe's asynchronous follow-ups after the CLI is done. */
export const asyncWorkMs = 5 * 60_000;

/** Families of triggers outside billing: they need products the fake does not model. */
export const unmodelledTriggerFamilies = ['issuing_', 'identity.', 'reporting.'];

/** The triggers the CLI lists (`stripe trigger --help`), outside {@link unmodelledTriggerFamilies}. */
export async function listTriggers(binary: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await run(binary, ['trigger', '--help'], env);
  const listed = stdout.slice(stdout.indexOf('Supported events:')).split('\n').slice(1);
  const names: string[] = [];
  for (const line of listed) {
    const name = line.trim();
    if (name === '') break;
    names.push(name);
  }
  return names.filter((name) => !unmodelledTriggerFamilies.some((family) => name.startsWith(family)));
}

/** The outcome of one `stripe trigger`: the CLI's exit and output, and the events the fake emitted. */
export interface TriggerOutcome {
  readonly trigger: string;
  readonly ok: boolean;
  readonly output: string;
  readonly events: readonly string[];
  /** Hosts the CLI tried to reach beyond the fake's loopback address. */
  readonly hosts: readonly string[];
}

/** A sandbox for the CLI: its own config folder, no telemetry, and no way out but a loopback proxy. */
export interface CliSandbox {
  readonly env: NodeJS.ProcessEnv;
  readonly tls: StripeHostsTls;
  /** Removes the CLI's home folder (its config and the test CA). */
  close(): void;
}

/**
 * The CLI must never reach the network: telemetry is opted out, and its version check (GitHub)
 * and any Stripe host go through a loopback proxy that answers Stripe's hosts from the fake
 * (`meter-events.stripe.com` included, which fixtures address directly) and refuses the rest.
 */
export async function startCliSandbox(): Promise<CliSandbox> {
  const home = mkdtempSync(join(tmpdir(), 'fakepsp-stripe-cli-'));
  const tls = await stripeHostsTls(home);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    STRIPE_CLI_TELEMETRY_OPTOUT: '1',
    DO_NOT_TRACK: '1',
    SSL_CERT_FILE: tls.caPath,
    NO_COLOR: '1',
  };
  return { env, tls, close: () => rmSync(home, { recursive: true, force: true }) };
}

/**
 * Triggers named after something that is not an event type, and the event they stand for:
 * the fixtures make a subscription whose first invoice payment fails or succeeds.
 */
export const eventOfTrigger: Readonly<Record<string, string>> = {
  'subscription.payment_failed': 'invoice.payment_failed',
  'subscription.payment_succeeded': 'invoice.payment_succeeded',
};

/**
 * Triggers that assume an account already in use, and the triggers run first to make it so: a
 * transfer fixture sends the whole of a payment whose net (after fees) is smaller, which a fresh
 * account, Stripe's or ours, refuses with `balance_insufficient`.
 */
export const triggersRunBefore: Readonly<Record<string, readonly string[]>> = {
  'transfer.created': ['balance.available'],
  'transfer.reversed': ['balance.available'],
  'transfer.updated': ['balance.available'],
};

/** Runs one `stripe trigger` (after the ones it needs) against a fresh fake on a loopback port. */
export async function runTrigger(
  binary: string,
  sandbox: CliSandbox,
  trigger: string,
): Promise<TriggerOutcome> {
  // The CLI stamps fixtures with its own wall clock (`${time-now-RFC3339}`): the fake starts there.
  const sim = createSimulation({ seed: 7, startAtMs: wallClockMs() });
  const fake = createStripeFake(sim);
  const server = createHttpApp(fake.core).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxy = await startOutboundProxy(sandbox.tls, fake.core);
  try {
    const env = { ...sandbox.env, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
    const cli = (name: string) =>
      run(binary, ['trigger', name, '--api-base', base, '--api-key', 'sk_test_fakepsp_cli'], env);
    for (const before of triggersRunBefore[trigger] ?? []) await cli(before);
    const seen = new Set(emitted(fake).map((event) => event.id));
    const result = await cli(trigger);
    // Stripe finishes some work a little later (meter error reports per minute, SEPA debits
    // settling): five minutes of virtual time pass before the events are read.
    sim.clock.advanceBy(asyncWorkMs);
    const events = emitted(fake)
      .filter((event) => !seen.has(event.id))
      .map((event) => event.type);
    const ok = result.code === 0 && events.includes(eventOfTrigger[trigger] ?? trigger);
    return { trigger, ok, output: `${result.stdout}${result.stderr}`, events, hosts: proxy.asked };
  } finally {
    await proxy.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function emitted(fake: StripeFake): Array<{ readonly id: string; readonly type: string }> {
  return fake.runtime.store
    .scopes()
    .flatMap(
      (scope) => fake.runtime.store.values(scope, 'event') as unknown as Array<{ id: string; type: string }>,
    );
}

/** Runs `items` through `work`, at most `limit` at a time, keeping their order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(binary, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
