import { BalanceTotals } from './balance-totals.ts';
import { MeterEventLog } from './metering/event-columns.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { FaultInjector } from '../common/faults.ts';
import { WebhookDispatcher, type WebhookSender } from '../common/webhook-dispatcher.ts';
import { countDelivered, reviveStripeDelivery } from './webhook-delivery.ts';
import { spilledParking } from '../common/webhook-waiting.ts';
import type { StripeRuntime } from './context.ts';
import { Router } from '../common/router.ts';
import { stripeCore, type StripeCore } from './profile.ts';
import { stripeRoutes } from './routes.ts';
import type { PspFake } from '../common/psp-fake.ts';
import { stripeAdminActions } from './admin-actions.ts';
import { registerWebhookEndpoint } from './resources/webhook-endpoints.ts';
import { StripeStore, type StoreSpill, type StripeDump } from './store.ts';

/** Options for {@link createStripeFake}. */
export interface StripeFakeOptions {
  /** How webhook attempts travel; without one, attempts fail and are retried on schedule. */
  readonly send?: WebhookSender;
  /** How many webhook attempts may be on their way at once (default 1; `serve`: see `serveWebhooksInFlight`). */
  readonly webhooksInFlight?: number;
  /** A fault injector shared with other fakes of the run; by default the fake has its own. */
  readonly faults?: FaultInjector;
  /** Past how many objects of a type they move to a spill file (a long `serve`); all in memory when absent. */
  readonly spill?: StoreSpill;
  /**
   * Whether stored objects are deep-frozen, so that a handler editing state in place throws
   * (default true). `serve` passes false: see `trustHandlers` (common/deep-freeze.ts).
   */
  readonly freezeState?: boolean;
}

/** Where the fake Stripe sends webhooks: an endpoint for every event (Connect accounts' with `connect`). */
export interface StripeWebhookRegistration {
  readonly url: string;
  readonly secret: string;
  readonly connect?: boolean;
}

/** A fake Stripe: the transport-agnostic core plus the harness's handles on it. */
export interface StripeFake extends PspFake<'stripe', StripeDump, StripeWebhookRegistration> {
  readonly core: StripeCore;
  readonly runtime: StripeRuntime;
}

/**
 * Creates a fake Stripe over a simulation. Point the official SDK at it through a transport
 * (`fakepsp serve`, msw or nock).
 *
 * @example
 * const sim = createSimulation({ seed: 42 });
 * const stripe = createStripeFake(sim);
 * const result = await stripe.core.handle({ method: 'GET', path: '/v1/customers', query: '',
 *   headers: { authorization: 'Bearer sk_test_123' }, rawBody: '' });
 */
export function createStripeFake(sim: Simulation, options: StripeFakeOptions = {}): StripeFake {
  const faults = options.faults ?? new FaultInjector(sim.stream('stripe/faults'), sim.journal);
  const store = new StripeStore({
    ...(options.spill === undefined ? {} : { spill: options.spill }),
    ...(options.freezeState === undefined ? {} : { freezeState: options.freezeState }),
  });
  const dispatcher = new WebhookDispatcher({
    clock: sim.clock,
    journal: sim.journal,
    faults,
    random: sim.stream('stripe/webhook-faults'),
    ...(options.send === undefined ? {} : { send: options.send }),
    ...(options.webhooksInFlight === undefined ? {} : { inFlight: options.webhooksInFlight }),
    // Deliveries waiting for a retry or their turn leave the heap as the fake's rows do.
    ...(options.spill === undefined ? {} : { parking: spilledParking(options.spill, reviveStripeDelivery) }),
    delivered: (delivery) => countDelivered(store, delivery),
  });
  const runtime: StripeRuntime = {
    sim,
    store,
    balances: new BalanceTotals(store),
    meterEvents: new MeterEventLog(),
    ids: sim.idsFor('stripe'),
    dispatcher,
    testClocks: new Map(),
    endpointSecrets: new Map(),
    harness: { refundFailuresPending: 0 },
    routes: new Router(stripeRoutes),
    faults,
  };
  const core = stripeCore(runtime);
  return {
    psp: 'stripe',
    core,
    runtime,
    faults,
    flushWebhooks: () => dispatcher.flush(),
    registerWebhook: (registration) => void registerWebhookEndpoint(runtime, registration),
    dump: () => runtime.meterEvents.addTo(runtime.store.dump()),
    actions: stripeAdminActions(runtime),
  };
}
