import type { PspName } from '../fakes/common/psp-core.ts';

/**
 * The SUT contract, v1 (DESIGN.md, "The SUT contract"): what a billing system under test
 * implements, in TypeScript directly or over HTTP (`POST {base}/fakepsp/…`). The harness plays
 * the customers, the PSPs and the clock; the SUT makes its real PSP calls.
 */

/**
 * The integration patterns. Pattern 4, fully managed (the PSP does the billing), comes once per
 * PSP whose billing product it uses: `managed-stripe` (Stripe Billing) and `managed-razorpay`
 * (Razorpay Subscriptions) — a service implements each on its own, so each is declared on its own.
 */
export type IntegrationPattern =
  'byo-stripe' | 'embedded-stripe' | 'multi-psp' | 'managed-stripe' | 'managed-razorpay' | 'hybrid';

export const integrationPatterns: readonly IntegrationPattern[] = [
  'byo-stripe',
  'embedded-stripe',
  'multi-psp',
  'managed-stripe',
  'managed-razorpay',
  'hybrid',
];

/** How the SUT reaches each fake, and the secrets the harness registered for it. */
export interface PspConnections {
  readonly stripe?: { readonly apiBase: string; readonly secretKey: string; readonly webhookSecret: string };
  readonly adyen?: {
    readonly apiBase: string;
    readonly apiKey: string;
    readonly merchantAccount: string;
    readonly hmacKey: string;
  };
  readonly razorpay?: {
    readonly apiBase: string;
    readonly keyId: string;
    readonly keySecret: string;
    readonly webhookSecret: string;
  };
}

export interface SetupRequest {
  readonly runId: string;
  readonly seed: number;
  readonly pattern: IntegrationPattern;
  /** ISO 8601: the SUT's notion of "now" until the next `advanceClock`. */
  readonly now: string;
  readonly psps: PspConnections;
}

export interface SetupResponse {
  /** Where each PSP's webhooks go. */
  readonly webhooks: Partial<Record<PspName, string>>;
  /** The patterns and PSPs the SUT implements; scenarios for others are skipped. */
  readonly patterns: readonly IntegrationPattern[];
  readonly psps: readonly PspName[];
  /**
   * Optional: how many runs the service takes at once, keeping each run's state apart by the
   * `fakepsp-run-id` header of every binding call. A service that declares nothing gets one run
   * at a time.
   */
  readonly concurrentRuns?: number;
}

/** What the SUT bills a customer with, so the checker can compute what should be billed. */
export interface Plan {
  /** Base fee per interval, integer minor units (0 for pure usage). */
  readonly baseFeeMinor: number;
  /** Unit price per meter, integer minor units per unit. */
  readonly unitPricesMinor: Readonly<Record<string, number>>;
  readonly interval: 'day' | 'week' | 'month' | 'year';
}

export interface CreateCustomerRequest {
  readonly customerId: string;
  readonly email: string;
  readonly name: string;
  /** Lowercase ISO 4217. */
  readonly currency: string;
  readonly psp: PspName;
  /** A PSP test token, e.g. `pm_card_visa`. */
  readonly paymentMethod: string;
  readonly plan: Plan;
}

/**
 * Optional answer to `createCustomer`: the customer's id at the PSP, so the checker maps PSP
 * objects to the SUT's customer without a fakepsp tag in the service's own PSP calls.
 */
export interface CreateCustomerResponse {
  /** At the request's PSP: Stripe `cus_…`, Razorpay `cust_…`, the Adyen `shopperReference` used. */
  readonly pspCustomerId?: string;
  /** Per PSP, for a customer the service keeps at more than one (the hybrid pattern). */
  readonly pspCustomerIds?: Partial<Record<PspName, string>>;
}

export interface RecordUsageRequest {
  readonly customerId: string;
  readonly meter: string;
  /** A non-negative integer. */
  readonly quantity: number;
  /** A repeated eventId means the same event, which must be billed once. */
  readonly eventId: string;
  readonly at: string;
}

export interface TopUpRequest {
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly requestId: string;
}

export interface RefundRequest {
  readonly customerId: string;
  /** The PSP object to refund (a charge, payment or pspReference). */
  readonly ref: string;
  readonly amount: number;
  readonly requestId: string;
}

/** One leg of a ledger transaction: integer minor units, signed. */
export interface Posting {
  readonly account: string;
  readonly amount: number;
  readonly currency: string;
}

/** The PSP object a ledger transaction mirrors. */
export interface LedgerRef {
  readonly psp: PspName;
  readonly type: string;
  readonly id: string;
}

/** Usage a ledger transaction bills: the checker proves nothing is billed twice. */
export interface UsageLine {
  readonly meter: string;
  /** A non-negative integer number of units. */
  readonly quantity: number;
}

export interface LedgerTransaction {
  readonly id: string;
  readonly at: string;
  readonly kind: string;
  readonly customerId: string;
  readonly ref: LedgerRef | null;
  readonly postings: readonly Posting[];
  /** Optional (v1-compatible): the usage this transaction bills, per meter. */
  readonly usage?: readonly UsageLine[] | undefined;
}

export interface Ledger {
  readonly transactions: readonly LedgerTransaction[];
}

/**
 * A billing system under test.
 *
 * @example
 * import { httpBillingSystem } from 'fakepsp/sut';
 * const sut: BillingSystem = httpBillingSystem('http://127.0.0.1:4000');
 * const psps = { stripe: { apiBase: 'http://127.0.0.1:12111', secretKey: 'sk_test_fakepsp', webhookSecret: 'whsec_fakepsp' } };
 * await sut.setup({ runId: 'run_1', seed: 42, pattern: 'byo-stripe', now: '2026-01-01T00:00:00Z', psps });
 */
export interface BillingSystem {
  setup(request: SetupRequest): Promise<SetupResponse>;
  createCustomer(request: CreateCustomerRequest): Promise<CreateCustomerResponse | void>;
  recordUsage(request: RecordUsageRequest): Promise<void>;
  topUp(request: TopUpRequest): Promise<void>;
  refund(request: RefundRequest): Promise<void>;
  /** The SUT runs every job due up to `now` (billing runs, dunning). */
  advanceClock(request: { readonly now: string }): Promise<void>;
  /** Resolves when the SUT has no work in flight. */
  settle(): Promise<void>;
  ledger(): Promise<Ledger>;
}
