import type { Simulation } from '../../sim/simulation.ts';
import { FaultInjector } from '../common/faults.ts';
import { WebhookDispatcher, type WebhookSender } from '../common/webhook-dispatcher.ts';
import { reviveDelivery } from './webhooks.ts';
import { spilledParking } from '../common/webhook-waiting.ts';
import { adyenAdminActions } from './admin-actions.ts';
import type { PspFake } from '../common/psp-fake.ts';
import { adyenCore, type AdyenCore } from './profile.ts';
import { defaultAdyenApiKeys, type AdyenApiCredential } from './auth.ts';
import { isHexKey } from './hmac.ts';
import type { AdyenRuntime } from './runtime.ts';
import { checkMoneyRules } from './invariants.ts';
import { AdyenStore, type AdyenDump } from './store.ts';
import type { RowSpill } from '../common/row-map.ts';

export type { AdyenRuntime } from './runtime.ts';
export type { AdyenDump } from './store.ts';
export { newHmacKeyHex } from './hmac.ts';
export { defaultAdyenApiKeys, type AdyenApiCredential } from './auth.ts';

/** Options for {@link createAdyenFake}. */
export interface AdyenFakeOptions {
  /** How webhook attempts travel; without one, attempts fail and are retried on schedule. */
  readonly send?: WebhookSender;
  /** How many webhook attempts may be on their way at once (default 1; `serve`: see `serveWebhooksInFlight`). */
  readonly webhooksInFlight?: number;
  /** A fault injector shared with other fakes of the run; by default the fake has its own. */
  readonly faults?: FaultInjector;
  /** Merchant accounts the API key may use; others get 403 "901". Default: any name is accepted. */
  readonly merchantAccounts?: readonly string[];
  /**
   * The API keys the account has, each with the merchant accounts it may use; any other
   * `X-API-Key` gets Adyen's 401. Default: one key, `AQE_fakepsp_test_key`, for every account.
   */
  readonly apiKeys?: readonly AdyenApiCredential[];
  /**
   * Whether stored objects are deep-frozen, so that a handler editing state in place throws
   * (default true). `serve` passes false: see `trustHandlers` (common/deep-freeze.ts).
   */
  readonly freezeState?: boolean;
  /** Past how many objects of a kind they move to a spill file (a long `serve`); all in memory when absent. */
  readonly spill?: RowSpill;
}

/** Where the fake Adyen sends its standard webhooks: the Customer Area's URL and HMAC key (hex). */
export interface AdyenWebhookRegistration {
  readonly url: string;
  readonly hmacKeyHex: string;
}

/** A fake Adyen: the transport-agnostic Checkout core plus the harness's handles on it. */
export interface AdyenFake extends PspFake<'adyen', AdyenDump, AdyenWebhookRegistration> {
  readonly core: AdyenCore;
  readonly runtime: AdyenRuntime;
}

/**
 * Creates a fake Adyen Checkout API over a simulation. Point the official SDK at it through a
 * transport: `adyenHttpClient(apiBase)` (HTTPS loopback), msw or nock.
 *
 * @example
 * const sim = createSimulation({ seed: 42 });
 * const adyen = createAdyenFake(sim, { send: httpWebhookSender });
 * adyen.registerWebhook({ url: 'http://127.0.0.1:4000/webhooks/adyen', hmacKeyHex: '44782DEF'.repeat(8) });
 * const paymentRequest = { amount: { value: 1000, currency: 'EUR' }, merchantAccount: 'MyECOM',
 *   reference: 'order-1', returnUrl: 'https://shop.example/back',
 *   paymentMethod: { type: 'scheme', encryptedCardNumber: 'test_4111111111111111' } };
 * const result = await adyen.core.handle({ method: 'POST', path: '/v72/payments', query: '',
 *   headers: { 'x-api-key': 'AQE_fakepsp_test_key' }, rawBody: JSON.stringify(paymentRequest) });
 */
export function createAdyenFake(sim: Simulation, options: AdyenFakeOptions = {}): AdyenFake {
  const faults = options.faults ?? new FaultInjector(sim.stream('adyen/faults'), sim.journal);
  const dispatcher = new WebhookDispatcher({
    clock: sim.clock,
    journal: sim.journal,
    faults,
    random: sim.stream('adyen/webhook-faults'),
    ...(options.send === undefined ? {} : { send: options.send }),
    ...(options.webhooksInFlight === undefined ? {} : { inFlight: options.webhooksInFlight }),
    // Deliveries waiting for a retry or their turn leave the heap as the fake's rows do.
    ...(options.spill === undefined ? {} : { parking: spilledParking(options.spill, reviveDelivery) }),
  });
  const runtime: AdyenRuntime = {
    sim,
    store: new AdyenStore(),
    ids: sim.idsFor('adyen'),
    random: sim.stream('adyen/auth-codes'),
    dispatcher,
    faults,
    webhooks: [],
    merchantAccounts: options.merchantAccounts,
    apiKeys: options.apiKeys ?? defaultAdyenApiKeys,
  };
  if (options.freezeState === false) runtime.store.unit.trustHandlers();
  if (options.spill !== undefined) runtime.store.unit.spillRows(options.spill);
  runtime.store.unit.invariant(() => checkMoneyRules(runtime.store));
  const core = adyenCore(runtime);
  return {
    psp: 'adyen',
    faults,
    core,
    runtime,
    flushWebhooks: () => dispatcher.flush(),
    registerWebhook: ({ url, hmacKeyHex }) => {
      if (!isHexKey(hmacKeyHex))
        throw new RangeError('an Adyen HMAC key is hex (64 characters in the Customer Area)');
      runtime.webhooks.push({ id: `webhook_${runtime.webhooks.length + 1}`, url, hmacKeyHex });
    },
    dump: () => runtime.store.dump(runtime.webhooks.map(({ id, url }) => ({ id, url }))),
    actions: adyenAdminActions(runtime),
  };
}
