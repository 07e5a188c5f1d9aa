import type {
  BillingSystem,
  CreateCustomerRequest,
  IntegrationPattern,
  Ledger,
  RecordUsageRequest,
  RefundRequest,
  SetupRequest,
  SetupResponse,
  TopUpRequest,
} from '../sut/contract.ts';
import {
  createRuntime,
  createStripeClient,
  customerOf,
  InputError,
  nextCount,
  onAccount,
  stripeOf,
  type ReferenceOptions,
  type Runtime,
} from './context.ts';
import type { PspName } from '../fakes/common/psp-core.ts';
import { createAdyenConnection } from './adyen/client.ts';
import { refundAdyen } from './adyen/payments.ts';
import { receiveAdyenWebhook } from './adyen/webhooks.ts';
import { markEventCursor, receiveEvent, reconcile, SignatureError, verifyWebhook } from './events.ts';
import { parseInstant, pspAmount } from './money.ts';
import { PaymentBook } from './payments.ts';
import { byoStripe } from './patterns/byo-stripe.ts';
import { embeddedStripe } from './patterns/embedded-stripe.ts';
import { hybrid } from './patterns/hybrid.ts';
import { managedRazorpay } from './patterns/managed-razorpay.ts';
import { managedStripe } from './patterns/managed-stripe.ts';
import { multiPsp } from './patterns/multi-psp.ts';
import type { Pattern } from './patterns/pattern.ts';
import { createRazorpayConnection } from './razorpay/client.ts';
import { refundRazorpay } from './razorpay/refunds.ts';
import { receiveRazorpayWebhook } from './razorpay/webhooks.ts';
import { applyRefund } from './reversals.ts';
import { startWebhookServer, type WebhookHandler, type WebhookServer } from './webhook-server.ts';

const patterns: readonly Pattern[] = [
  byoStripe,
  managedStripe,
  managedRazorpay,
  embeddedStripe,
  multiPsp,
  hybrid,
];

/** The reference billing service: a {@link BillingSystem} plus a way to stop its webhook server. */
export interface ReferenceBillingSystem extends BillingSystem {
  /** Webhook deliveries refused so far for a bad or stale signature. */
  rejectedWebhooks(): number;
  close(): Promise<void>;
}

/**
 * The reference service: shared plumbing (setup, webhooks, refunds, the poll job) around one
 * {@link Pattern} chosen by `setup`. Its time is `setup.now`, then each `advanceClock`.
 */
export class ReferenceService implements ReferenceBillingSystem {
  readonly #options: ReferenceOptions;
  #runtime: Runtime | undefined;
  #pattern: Pattern | undefined;
  #server: WebhookServer | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: ReferenceOptions = {}) {
    this.#options = options;
  }

  async setup(request: SetupRequest): Promise<SetupResponse> {
    const stripe = request.psps.stripe;
    if (stripe === undefined) throw new InputError('psps.stripe is required');
    const runtime = createRuntime(this.#options, new PaymentBook());
    runtime.setup = request;
    runtime.pattern = request.pattern;
    runtime.nowMs = parseInstant(request.now, 'now');
    runtime.stripe = createStripeClient(stripe.apiBase, stripe.secretKey);
    runtime.webhookSecrets.push(stripe.webhookSecret);
    const { adyen, razorpay } = request.psps;
    if (adyen !== undefined) runtime.adyen = createAdyenConnection(adyen);
    if (razorpay !== undefined) runtime.razorpay = createRazorpayConnection(razorpay);
    this.#server ??= await startWebhookServer((psp) => this.#webhookHandler(psp));
    runtime.webhookUrl = this.#server.urls.stripe;
    this.#runtime = runtime;
    this.#pattern = patterns.find((pattern) => pattern.name === request.pattern);
    await markEventCursor(runtime, undefined);
    await this.#pattern?.onSetup(runtime);
    const psps: PspName[] = ['stripe'];
    if (adyen !== undefined) psps.push('adyen');
    if (razorpay !== undefined) psps.push('razorpay');
    return {
      webhooks: Object.fromEntries(psps.map((psp) => [psp, this.#server!.urls[psp]])),
      patterns: patterns.map((pattern) => pattern.name) satisfies IntegrationPattern[],
      psps,
    };
  }

  createCustomer(request: CreateCustomerRequest): Promise<void> {
    return this.#with((runtime, pattern) => pattern.createCustomer(runtime, request));
  }

  recordUsage(request: RecordUsageRequest): Promise<void> {
    return this.#with((runtime, pattern) => pattern.recordUsage(runtime, request));
  }

  topUp(request: TopUpRequest): Promise<void> {
    return this.#with((runtime, pattern) => pattern.topUp(runtime, request));
  }

  refund(request: RefundRequest): Promise<void> {
    return this.#with(async (runtime) => {
      const customer = customerOf(runtime, request.customerId);
      const elsewhere = { ...request, currency: customer.request.currency };
      if (customer.request.psp === 'adyen') return refundAdyen(runtime, elsewhere);
      if (customer.request.psp === 'razorpay') return refundRazorpay(runtime, elsewhere);
      const account = runtime.charges.get(request.ref)?.account ?? customer.account;
      const refund = await stripeOf(runtime).refunds.create(
        {
          charge: request.ref,
          amount: pspAmount(runtime, request.amount, customer.request.currency),
          metadata: { request_id: request.requestId, fakepsp_customer_id: request.customerId },
        },
        { idempotencyKey: `refund:${runtime.setup?.runId}:${request.requestId}`, ...onAccount(account) },
      );
      await applyRefund(runtime, refund, account, 'api');
    });
  }

  advanceClock(request: { readonly now: string }): Promise<void> {
    return this.#with(async (runtime, pattern) => {
      const nowMs = parseInstant(request.now, 'now');
      if (nowMs < runtime.nowMs) throw new InputError(`now ${request.now} is before the service's now`);
      runtime.nowMs = nowMs;
      await pattern.runDueJobs(runtime);
      // A failed poll is not a failed tick: the next tick (or settle) polls again.
      await reconcile(runtime, pattern.onEvent).catch(() => nextCount(runtime, 'poll-failures'));
    });
  }

  settle(): Promise<void> {
    return this.#with(async (runtime, pattern) => {
      await Promise.allSettled([...this.#inFlight]);
      // As in advanceClock: a poll that fails (a 429 that outlasts the SDK's retries) is tried again later.
      await reconcile(runtime, pattern.onEvent).catch(() => nextCount(runtime, 'poll-failures'));
      await Promise.allSettled([...this.#inFlight]);
    });
  }

  ledger(): Promise<Ledger> {
    return Promise.resolve(this.#runtime?.ledger.export() ?? { transactions: [] });
  }

  rejectedWebhooks(): number {
    return this.#runtime?.rejectedWebhooks ?? 0;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    await this.#server?.close();
    this.#server = undefined;
  }

  async #with<T>(work: (runtime: Runtime, pattern: Pattern) => Promise<T>): Promise<T> {
    const runtime = this.#runtime;
    if (runtime === undefined) throw new InputError('setup has not run');
    const pattern = this.#pattern;
    if (pattern === undefined) throw new InputError(`pattern ${runtime.pattern} is not implemented`);
    return work(runtime, pattern);
  }

  #webhookHandler(psp: PspName): WebhookHandler {
    return async (rawBody, headers) => {
      const runtime = this.#runtime;
      if (psp === 'stripe') return this.#onWebhook(rawBody, headers['stripe-signature']);
      if (runtime === undefined) return 503;
      if (psp === 'adyen' && runtime.adyen !== undefined) return receiveAdyenWebhook(runtime, rawBody);
      if (psp === 'razorpay' && runtime.razorpay !== undefined)
        return receiveRazorpayWebhook(runtime, rawBody, headers);
      return 404;
    };
  }

  async #onWebhook(rawBody: string, signature: string | undefined): Promise<number> {
    const runtime = this.#runtime;
    const pattern = this.#pattern;
    if (runtime === undefined || pattern === undefined) return 503;
    let event;
    try {
      event = verifyWebhook(runtime, rawBody, signature);
    } catch (error) {
      if (error instanceof SignatureError || error instanceof SyntaxError) return 400;
      throw error;
    }
    const handling = receiveEvent(runtime, event, 'webhook', pattern.onEvent);
    this.#inFlight.add(handling);
    try {
      await handling;
      return 200;
    } catch {
      // A 5xx makes Stripe retry; the poll job would also find the event.
      return 500;
    } finally {
      this.#inFlight.delete(handling);
    }
  }
}
