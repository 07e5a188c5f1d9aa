import type { Simulation } from '../../sim/simulation.ts';
import { FaultInjector } from '../common/faults.ts';
import { WebhookDispatcher, type WebhookSender } from '../common/webhook-dispatcher.ts';
import { reviveDelivery } from './webhooks.ts';
import { spilledParking } from '../common/webhook-waiting.ts';
import { razorpayAdminActions } from './admin-actions.ts';
import { defaultRazorpayKeys } from './auth.ts';
import type { PspFake } from '../common/psp-fake.ts';
import { razorpayCore, type RazorpayCore } from './profile.ts';
import type { RazorpayRuntime } from './runtime.ts';
import { checkMoneyRules } from './invariants.ts';
import { RazorpayStore, type RazorpayDump } from './store.ts';
import type { RowSpill } from '../common/row-map.ts';

export type { RazorpayRuntime } from './runtime.ts';
export type { RazorpayDump } from './store.ts';
export { razorpayTestCards } from './test-cards.ts';
export { defaultRazorpayKeys, type RazorpayKeyPair } from './auth.ts';

/** Options for {@link createRazorpayFake}. */
export interface RazorpayFakeOptions {
  /** How webhook attempts travel; without one, attempts fail and are retried on schedule. */
  readonly send?: WebhookSender;
  /** How many webhook attempts may be on their way at once (default 1; `serve`: see `serveWebhooksInFlight`). */
  readonly webhooksInFlight?: number;
  /** A fault injector shared with other fakes of the run; by default the fake has its own. */
  readonly faults?: FaultInjector;
  /** API key pairs accepted. Default: one pair, keyId 'rzp_test_fakepsp', keySecret 'fakepsp_test_secret'. */
  readonly keys?: readonly { readonly keyId: string; readonly keySecret: string }[];
  /** Enforce unique order receipts (Razorpay's `unique_receipt` behaviour). Default false. */
  readonly uniqueReceipts?: boolean;
  /**
   * Whether stored objects are deep-frozen, so that a handler editing state in place throws
   * (default true). `serve` passes false: see `trustHandlers` (common/deep-freeze.ts).
   */
  readonly freezeState?: boolean;
  /** Past how many objects of a kind they move to a spill file (a long `serve`); all in memory when absent. */
  readonly spill?: RowSpill;
}

/** Where the fake Razorpay sends webhooks: the dashboard's URL, secret and event filter. */
export interface RazorpayWebhookRegistration {
  readonly url: string;
  readonly secret: string;
  readonly events?: readonly string[];
}

/** A fake Razorpay: the transport-agnostic core plus the harness's handles on it. */
export interface RazorpayFake extends PspFake<'razorpay', RazorpayDump, RazorpayWebhookRegistration> {
  readonly core: RazorpayCore;
  readonly runtime: RazorpayRuntime;
}

/**
 * Creates a fake Razorpay over a simulation. Point the official SDK at it through a transport:
 * a loopback server with `rzp.api.rq.defaults.baseURL = base` (the SDK has no host option), or
 * msw / nock on `api.razorpay.com`.
 *
 * @example
 * const sim = createSimulation({ seed: 42 });
 * const razorpay = createRazorpayFake(sim, { send: httpWebhookSender });
 * razorpay.registerWebhook({ url: 'http://127.0.0.1:4000/webhooks/razorpay', secret: 'whsec' });
 * const result = await razorpay.core.handle({ method: 'GET', path: '/v1/orders', query: 'count=10',
 *   headers: { authorization: 'Basic cnpwX3Rlc3RfZmFrZXBzcDpmYWtlcHNwX3Rlc3Rfc2VjcmV0' }, rawBody: '' });
 */
export function createRazorpayFake(sim: Simulation, options: RazorpayFakeOptions = {}): RazorpayFake {
  const faults = options.faults ?? new FaultInjector(sim.stream('razorpay/faults'), sim.journal);
  const dispatcher = new WebhookDispatcher({
    clock: sim.clock,
    journal: sim.journal,
    faults,
    random: sim.stream('razorpay/webhook-faults'),
    ...(options.send === undefined ? {} : { send: options.send }),
    ...(options.webhooksInFlight === undefined ? {} : { inFlight: options.webhooksInFlight }),
    // Deliveries waiting for a retry or their turn leave the heap as the fake's rows do.
    ...(options.spill === undefined ? {} : { parking: spilledParking(options.spill, reviveDelivery) }),
  });
  const keys = options.keys ?? defaultRazorpayKeys;
  if (keys.length === 0) throw new RangeError('a Razorpay account needs at least one API key pair');
  const ids = sim.idsFor('razorpay');
  const runtime: RazorpayRuntime = {
    sim,
    store: new RazorpayStore(),
    ids,
    requestIds: sim.idsFor('razorpay/requests'),
    random: sim.stream('razorpay/bank'),
    dispatcher,
    faults,
    keys,
    uniqueReceipts: options.uniqueReceipts ?? false,
    accountId: ids.razorpay('acc_'),
    webhooks: [],
  };
  if (options.freezeState === false) runtime.store.unit.trustHandlers();
  if (options.spill !== undefined) runtime.store.unit.spillRows(options.spill);
  runtime.store.unit.invariant(() => checkMoneyRules(runtime.store));
  const disabled = () => new Set(dispatcher.disabledEndpoints());
  return {
    psp: 'razorpay',
    faults,
    core: razorpayCore(runtime),
    runtime,
    flushWebhooks: () => dispatcher.flush(),
    registerWebhook: ({ url, secret, events }) => {
      if (secret === '') throw new RangeError('a Razorpay webhook secret may not be empty');
      runtime.webhooks.push({
        id: `webhook_${runtime.webhooks.length + 1}`,
        url,
        secret,
        events: events ?? null,
      });
    },
    dump: () =>
      runtime.store.dump(
        runtime.accountId,
        runtime.webhooks.map(({ id, url, events }) => ({ id, url, events, disabled: disabled().has(id) })),
      ),
    actions: razorpayAdminActions(runtime),
  };
}
