import type { TimerHandle } from '../../sim/clock.ts';
import { UnitOfWork } from '../common/unit-of-work.ts';
import type { JsonValue } from '../../sim/canonical-json.ts';
import type {
  CustomerEntity,
  DisputeEntity,
  OrderEntity,
  PaymentEntity,
  RefundEntity,
  TokenEntity,
} from './entities.ts';
import type { PaymentLinkEntity } from './payment-link-entities.ts';
import type { AddonEntity, InvoiceEntity, PlanEntity, SubscriptionEntity } from './subscription-entities.ts';

/** What the harness lined up at Razorpay (see {@link RazorpayStore.pending}). */
export interface HarnessPlans {
  readonly captureHolds: string[];
  refundFailures: number;
}

/** How an order's payments are captured: with the authorisation, or by `payments.capture`. */
export type CaptureMode = 'automatic' | 'manual';

/** An order as the API renders it, plus what Razorpay keeps about it behind the scenes. */
export interface OrderRecord {
  readonly order: OrderEntity;
  /** The API key that created it: Checkout signs its payments with that key's secret. */
  readonly keyId: string;
  readonly requestId: string | null;
  readonly capture: CaptureMode;
  readonly partialPayment: boolean;
  readonly customerId: string | null;
  /** A mandate-registration order (`method` + `token`): its payment confirms a token. */
  readonly mandate: {
    readonly method: string;
    readonly maxAmount: number | null;
    readonly expireAt: number | null;
  } | null;
}

/** How a payment came to be; `subscription` is a subscription invoice's charge. */
export type PaymentOrigin = 'checkout' | 'recurring' | 'mandate' | 'subscription';

/** A payment as rendered, plus its timeline (Unix seconds) and the requests that touched it. */
export interface PaymentRecord {
  readonly payment: PaymentEntity;
  readonly origin: PaymentOrigin;
  /** The test card used, which decides the outcome. */
  readonly cardNumber: string;
  /** The API request that created it (`create/recurring`); none for a Checkout action. */
  readonly requestId: string | null;
  /** The API requests that captured it (`payments.capture`). */
  readonly captureRequestIds: string[];
  authorizedAt: number | null;
  capturedAt: number | null;
  failedAt: number | null;
}

/** A refund as rendered, plus where it came from and when money moved. */
export interface RefundRecord {
  readonly refund: RefundEntity;
  /**
   * `authorization_expired`: Razorpay gave back an authorisation never captured (no money moved);
   * `credit_note`: Razorpay refunded a subscription's downgrade difference.
   */
  readonly origin: 'api' | 'dashboard' | 'authorization_expired' | 'credit_note';
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
  /** When the money left (refund.processed); null while pending, or if it never left. */
  processedAt: number | null;
  /** When a processed refund failed and the money came back. */
  failedAt: number | null;
}

/** A card token (a confirmed mandate), and whether the merchant deleted it. */
export interface TokenRecord {
  readonly token: TokenEntity;
  readonly cardNumber: string;
  readonly paymentId: string | null;
  deleted: boolean;
}

/** A dispute (chargeback) on a captured payment. */
export interface DisputeRecord {
  readonly dispute: DisputeEntity;
  /** When the merchant lost it and the amount left for good. */
  lostAt: number | null;
}

/** A plan change `schedule_change_at: cycle_end` waits with, applied when the cycle ends. */
export interface ScheduledChange {
  readonly planId: string;
  readonly quantity: number;
  readonly remainingCount: number | null;
}

/** A subscription as rendered, plus the mandate behind it and what waits for its cycle end. */
export interface SubscriptionRecord {
  readonly subscription: SubscriptionEntity;
  /** The API key that created it: the authentication's signature uses that key's secret. */
  readonly keyId: string;
  readonly requestId: string | null;
  /** The card token the customer authorised, and its card (a failure card fails the charges). */
  tokenId: string | null;
  cardNumber: string | null;
  cancelAtCycleEnd: boolean;
  scheduledChange: ScheduledChange | null;
  /** The unpaid invoice Razorpay retries while the subscription is `pending`. */
  dueInvoiceId: string | null;
}

/**
 * A subscription offer, as made in the dashboard (the `create_offer` action): a flat amount or a
 * percentage off the plan, capped, for a subscription's first `payments` cycles (all if null).
 */
export interface OfferRecord {
  readonly id: string;
  readonly name: string;
  readonly discountType: 'flat' | 'percentage';
  /** Minor units off (flat), or the percentage off (percentage). */
  readonly discount: number;
  readonly maxDiscount: number | null;
  readonly payments: number | null;
}

/** An invoice and the billing cycle it bills (0 for an authentication's upfront amount). */
export interface InvoiceRecord {
  readonly invoice: InvoiceEntity;
  readonly cycle: number;
}

/** A webhook event: its exact body, the object it is about, and what caused it. */
export interface RazorpayEventRecord {
  readonly id: string;
  readonly event: string;
  /** The entity the event is about: the payment, order, refund, token or dispute. */
  readonly objectId: string;
  readonly paymentId: string | null;
  readonly requestId: string | null;
  readonly idempotencyKey: string | null;
  readonly createdAt: number;
  readonly body: JsonValue;
}

/** A webhook as configured in the dashboard (its secret is not dumped). */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[] | null;
  readonly disabled: boolean;
}

/** Everything the fake holds, as `dump()` and `/_fakepsp/state` give it; lists in creation order. */
export interface RazorpayDump {
  readonly accountId: string;
  readonly orders: readonly OrderRecord[];
  readonly payments: readonly PaymentRecord[];
  readonly refunds: readonly RefundRecord[];
  readonly customers: readonly CustomerEntity[];
  readonly tokens: readonly TokenRecord[];
  readonly disputes: readonly DisputeRecord[];
  readonly plans: readonly PlanEntity[];
  readonly subscriptions: readonly SubscriptionRecord[];
  readonly addons: readonly AddonEntity[];
  readonly invoices: readonly InvoiceRecord[];
  readonly offers: readonly OfferRecord[];
  readonly paymentLinks: readonly PaymentLinkEntity[];
  readonly events: readonly RazorpayEventRecord[];
  readonly webhooks: readonly WebhookView[];
}

// What payments and refunds are looked up by: the store indexes each once, by these functions.
const orderOfPayment = (record: PaymentRecord) => record.payment.order_id;
const paymentOfRefund = (record: RefundRecord) => record.refund.payment_id;
const subscriptionOfInvoice = (record: InvoiceRecord) => record.invoice.subscription_id;
const customerOfToken = (record: TokenRecord) => record.token.customer_id;
const receiptOfOrder = (record: OrderRecord) => record.order.receipt;

/**
 * The fake's state: tables keep insertion order, so dumps are deterministic. Every change goes
 * through {@link RazorpayStore.unit}: a request, harness action or job changes drafts of what it
 * reads and commits them together, or leaves nothing behind when it throws.
 */
export class RazorpayStore {
  readonly unit = new UnitOfWork();
  readonly orders = this.unit.table<OrderRecord>({ drafts: true });
  readonly payments = this.unit.table<PaymentRecord>({ drafts: true });
  readonly refunds = this.unit.table<RefundRecord>({ drafts: true });
  readonly customers = this.unit.table<CustomerEntity>({ drafts: true });
  readonly tokens = this.unit.table<TokenRecord>({ drafts: true });
  readonly disputes = this.unit.table<DisputeRecord>({ drafts: true });
  readonly plans = this.unit.table<PlanEntity>({ drafts: true });
  readonly subscriptions = this.unit.table<SubscriptionRecord>({ drafts: true });
  readonly addons = this.unit.table<AddonEntity>({ drafts: true });
  readonly invoices = this.unit.table<InvoiceRecord>({ drafts: true });
  readonly offers = this.unit.table<OfferRecord>({ drafts: true });
  readonly paymentLinks = this.unit.table<PaymentLinkEntity>({ drafts: true });
  /** Published webhook events: written when they go out, after their unit committed. */
  readonly events = this.unit.rows<RazorpayEventRecord>();
  // The harness's plans, one row, changed in units like the rest (a refund that takes a planned
  // failure and is then refused gives it back). Not part of the dump: nothing a client could see.
  readonly #plans = this.unit.table<HarnessPlans>({ drafts: true });

  constructor() {
    this.unit.run(() => this.#plans.set('plans', { captureHolds: [], refundFailures: 0 }));
  }

  /**
   * What the harness has lined up, outside any API call: captures held back (a late
   * authorisation left `authorized`, by Razorpay customer id or `*` for anyone) and refunds
   * that will fail. Changeable inside a unit of work only.
   */
  get pending(): HarnessPlans {
    return this.#plans.get('plans')!;
  }
  /** The clock timer of each subscription's next charge, retry or cycle end: not dumped. */
  readonly subscriptionTimers = new Map<string, TimerHandle>();

  /** The payments made against an order, oldest first. */
  paymentsOfOrder(orderId: string): PaymentRecord[] {
    return this.payments.where(orderOfPayment, orderId);
  }

  /** The oldest customer with this email and contact (Razorpay's one customer per pair), if any. */
  customerWith(email: string | null, contact: string | null): CustomerEntity | undefined {
    const candidates =
      email !== null
        ? this.customers.where('email', email)
        : contact !== null
          ? this.customers.where('contact', contact)
          : [];
    return candidates.find((customer) => customer.email === email && customer.contact === contact);
  }

  /** The tokens saved for a customer, oldest first (deleted ones included). */
  tokensOf(customerId: string): TokenRecord[] {
    return this.tokens.where(customerOfToken, customerId);
  }

  /** The oldest order with this receipt, if any. */
  orderWithReceipt(receipt: string): OrderRecord | undefined {
    return this.orders.where(receiptOfOrder, receipt)[0];
  }

  /** The invoices of a subscription, oldest first. */
  invoicesOfSubscription(subscriptionId: string): InvoiceRecord[] {
    return this.invoices.where(subscriptionOfInvoice, subscriptionId);
  }

  /** The refunds of a payment, oldest first. */
  refundsOfPayment(paymentId: string): RefundRecord[] {
    return this.refunds.where(paymentOfRefund, paymentId);
  }

  dump(accountId: string, webhooks: readonly WebhookView[]): RazorpayDump {
    const dump: RazorpayDump = {
      accountId,
      orders: this.orders.values(),
      payments: this.payments.values(),
      refunds: this.refunds.values(),
      customers: this.customers.values(),
      tokens: this.tokens.values(),
      disputes: this.disputes.values(),
      plans: this.plans.values(),
      subscriptions: this.subscriptions.values(),
      addons: this.addons.values(),
      invoices: this.invoices.values(),
      offers: this.offers.values(),
      paymentLinks: this.paymentLinks.values(),
      events: [...this.events.values()],
      webhooks,
    };
    // A deep copy: later changes must not rewrite a dump already handed out.
    return JSON.parse(JSON.stringify(dump)) as RazorpayDump;
  }
}
