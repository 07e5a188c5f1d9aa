import Stripe from 'stripe';
import type { AdyenConnection } from './adyen/client.ts';
import type { RazorpayConnection } from './razorpay/client.ts';
import type { CreateCustomerRequest, IntegrationPattern, SetupRequest } from '../sut/contract.ts';
import { DoubleEntryLedger } from './ledger.ts';
import type { MutantName } from './mutants.ts';
import type { PaymentBook } from './payment-book.ts';

/** How the embedded pattern moves a top-up: on the tenant's account, or through the platform. */
export type EmbeddedVariant = 'transparent' | 'opaque';

/** Options of {@link createReferenceBillingSystem}. */
export interface ReferenceOptions {
  /** One seeded bug to switch on (see `mutants.ts`). */
  readonly mutant?: MutantName;
  /** Embedded pattern: direct charges on the tenant (transparent, default) or destination charges. */
  readonly embeddedVariant?: EmbeddedVariant;
  /** Opaque variant: the platform's application fee, in basis points of each top-up (default 1000). */
  readonly applicationFeeBps?: number;
}

/** What the service keeps per customer. */
export interface CustomerRecord {
  readonly request: CreateCustomerRequest;
  /** The Stripe customer and its card; empty for a multi-psp customer of another PSP. */
  readonly stripeCustomerId: string;
  readonly paymentMethodId: string;
  /** Adyen: the shopper's stored card (`storedPaymentMethodId`), charged with ContAuth. */
  readonly adyenStoredMethodId?: string;
  /** Razorpay: the customer (`cust_…`); its recurring token is looked up when first needed. */
  readonly razorpayCustomerId?: string;
  razorpayTokenId?: string;
  /** Razorpay Subscriptions (managed-razorpay): the customer's subscription, which Razorpay bills. */
  razorpaySubscriptionId?: string;
  /** The connected account the customer lives on (direct charges), if any. */
  readonly account?: string;
  /** The connected account the customer's top-ups are paid out to (destination charges), if any. */
  readonly payoutAccount?: string;
  readonly testClock?: string;
  /** Start of the current billing period (byo), ms since the epoch. */
  periodStartMs: number;
  /** How many periods were billed (byo). */
  periodsBilled: number;
  /** Accepted usage events: eventId → {meter, quantity, atMs}. */
  readonly usage: Map<string, { readonly meter: string; readonly quantity: number; readonly atMs: number }>;
  /** Usage events already on an invoice (byo). */
  readonly billedUsage: Set<string>;
  /** Usage events Stripe has acknowledged as meter events (managed): the rest are reported again. */
  readonly reportedUsage: Set<string>;
  /** Price id → revenue account, for mirroring Stripe invoices (managed, hybrid). */
  readonly priceAccounts: Map<string, string>;
  /** Real-time wallet balance in minor units (embedded, hybrid). */
  walletMinor: number;
}

/** The service's state and handles, shared by every module of the reference. */
export interface Runtime {
  readonly options: ReferenceOptions;
  readonly ledger: DoubleEntryLedger;
  readonly customers: Map<string, CustomerRecord>;
  /** PSP customer id (platform or connected account) → the harness's customer id. */
  readonly stripeCustomers: Map<string, string>;
  /** Connected accounts whose events the service follows. */
  readonly connectedAccounts: string[];
  /** Webhook secrets accepted: the harness's, and any endpoint the service registered. */
  readonly webhookSecrets: string[];
  readonly payments: PaymentBook;
  setup: SetupRequest | undefined;
  pattern: IntegrationPattern | undefined;
  stripe: Stripe | undefined;
  /** The Adyen and Razorpay clients (official SDKs), when `setup` handed those PSPs over. */
  adyen: AdyenConnection | undefined;
  razorpay: RazorpayConnection | undefined;
  nowMs: number;
  /** Counters for ids the service mints (runs of the billing job, mutants' retries). */
  readonly counters: Map<string, number>;
  /** Charge id → whose it is and where it lives (a connected account for direct charges). */
  readonly charges: Map<string, ChargeOwner>;
  /** Event ids already handled, from webhooks or the poll job. */
  readonly seenEvents: Set<string>;
  /** The newest event the poll job has seen, per account ('' for the platform). */
  readonly eventCursors: Map<string, string>;
  /** Webhook deliveries refused for a bad or stale signature. */
  rejectedWebhooks: number;
  /** Where the service receives Stripe webhooks. */
  webhookUrl: string;
  /** Adyen payments (pspReference) and Razorpay payments (`pay_…`) → the obligation they pay. */
  readonly pspPayments: Map<string, string>;
  /** Refunds the service asked Adyen or Razorpay for, by request id (the rest came from a dashboard). */
  readonly refundRequests: Set<string>;
  /** Razorpay refunds whose `refund.failed` came before their `refund.processed` (a reordered delivery). */
  readonly refundsFailedFirst: Set<string>;
}

/** Whose a charge is. */
export interface ChargeOwner {
  readonly customerId: string;
  readonly account: string | undefined;
  /** What the charge paid for: a top-up is refunded out of the wallet. */
  readonly purpose?: 'invoice' | 'topup';
}

/** Whether a seeded bug is on. */
export function bug(runtime: Runtime, name: MutantName): boolean {
  return runtime.options.mutant === name;
}

/** The Stripe client, once `setup` has run. */
export function stripeOf(runtime: Runtime): Stripe {
  if (runtime.stripe === undefined) throw new Error('setup has not run');
  return runtime.stripe;
}

/** The service's "now" as ISO 8601. */
export function nowIso(runtime: Runtime): string {
  return new Date(runtime.nowMs).toISOString();
}

/** The next value of a named counter (1, 2, …). */
export function nextCount(runtime: Runtime, name: string): number {
  const value = (runtime.counters.get(name) ?? 0) + 1;
  runtime.counters.set(name, value);
  return value;
}

/** A customer the harness created, or an error naming it. */
export function customerOf(runtime: Runtime, customerId: string): CustomerRecord {
  const customer = runtime.customers.get(customerId);
  if (customer === undefined) throw new InputError(`unknown customer ${customerId}`);
  return customer;
}

/** A request the service refuses (the HTTP binding answers 400). */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly status = 400;
}

/** A usage event the wallet cannot pay for (the HTTP binding answers 402). */
export class DeclinedError extends Error {
  override readonly name = 'DeclinedError';
  readonly status = 402;
}

/** Request options for a call on a connected account, or none for the platform. */
export function onAccount(account: string | undefined): { stripeAccount?: string } {
  return account === undefined ? {} : { stripeAccount: account };
}

/** The official SDK pointed at `apiBase` (the fake, or api.stripe.com). */
export function createStripeClient(apiBase: string, secretKey: string): Stripe {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  return new Stripe(secretKey, {
    host: url.hostname,
    port,
    protocol,
    maxNetworkRetries: 2,
    telemetry: false,
  });
}

/** A fresh runtime. */
export function createRuntime(options: ReferenceOptions, payments: PaymentBook): Runtime {
  return {
    options,
    ledger: new DoubleEntryLedger(),
    customers: new Map(),
    stripeCustomers: new Map(),
    connectedAccounts: [],
    webhookSecrets: [],
    payments,
    setup: undefined,
    pattern: undefined,
    stripe: undefined,
    adyen: undefined,
    razorpay: undefined,
    nowMs: 0,
    counters: new Map(),
    charges: new Map(),
    seenEvents: new Set(),
    eventCursors: new Map(),
    rejectedWebhooks: 0,
    webhookUrl: '',
    pspPayments: new Map(),
    refundRequests: new Set(),
    refundsFailedFirst: new Set(),
  };
}

/** Stripe ids of an expandable field. */
export function idOf(value: string | { readonly id: string } | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value.id;
}
