import type { Addons } from 'razorpay/dist/types/addons.d.ts';
import type { Invoices } from 'razorpay/dist/types/invoices.d.ts';
import type { Items } from 'razorpay/dist/types/items.d.ts';
import type { Plans } from 'razorpay/dist/types/plans.d.ts';
import type { Subscriptions } from 'razorpay/dist/types/subscriptions.d.ts';
import type { RenderedNotes } from './entities.ts';

/**
 * The billing objects of Razorpay Subscriptions, typed from the `razorpay` package's own
 * declarations as `entities.ts` types the payment objects: picked by field name, narrowed or
 * widened by name where the declarations disagree with what the API sends. Fields the API sends
 * that the declarations lack are added apart, each named in the docs' sample payloads.
 */
type Shaped<
  T,
  K extends keyof T,
  Override extends { [P in keyof Override]: P extends K ? unknown : never },
> = Omit<Pick<T, K>, keyof Override> & Override;

/** How often a plan bills: `period` × `interval` (a daily plan bills every 7 days at least). */
export type PlanPeriod = Plans.RazorpayPlanBaseRequestBody['period'];

/** The item of a plan or add-on: its price and name. */
export type ItemEntity = Shaped<
  Items.RazorpayItem,
  | 'id'
  | 'active'
  | 'name'
  | 'description'
  | 'amount'
  | 'unit_amount'
  | 'currency'
  | 'type'
  | 'unit'
  | 'tax_inclusive'
  | 'hsn_code'
  | 'sac_code'
  | 'tax_rate'
  | 'tax_id'
  | 'tax_group_id'
  | 'created_at'
  | 'updated_at',
  { description: string | null; amount: number; type: 'plan' | 'addon'; unit: null }
>;

export type PlanEntity = Shaped<
  Plans.RazorPayPlans,
  'id' | 'entity' | 'interval' | 'period' | 'item' | 'notes' | 'created_at',
  { item: ItemEntity; notes: RenderedNotes }
>;

export type SubscriptionStatus = Subscriptions.RazorpaySubscription['status'] | 'paused';

export type SubscriptionEntity = Shaped<
  Subscriptions.RazorpaySubscription,
  | 'id'
  | 'entity'
  | 'plan_id'
  | 'customer_id'
  | 'status'
  | 'current_start'
  | 'current_end'
  | 'ended_at'
  | 'quantity'
  | 'notes'
  | 'charge_at'
  | 'start_at'
  | 'end_at'
  | 'auth_attempts'
  | 'total_count'
  | 'paid_count'
  | 'customer_notify'
  | 'created_at'
  | 'expire_by'
  | 'short_url'
  | 'has_scheduled_changes'
  | 'change_scheduled_at'
  | 'source'
  | 'offer_id'
  | 'remaining_count'
  | 'payment_method',
  {
    status: SubscriptionStatus;
    current_start: number | null;
    current_end: number | null;
    ended_at: number | null;
    quantity: number;
    notes: RenderedNotes;
    charge_at: number | null;
    start_at: number | null;
    end_at: number | null;
    customer_notify: boolean;
    expire_by: number | null;
    offer_id: string | null;
    // The declarations say string; every sample payload sends a number.
    remaining_count: number;
  }
> & {
  /** Not in the declarations; the pause and resume samples carry them. */
  paused_at?: number;
  pause_initiated_by?: 'self' | null;
  cancel_initiated_by?: 'self' | null;
};

export type AddonEntity = Shaped<
  Addons.RazorpayAddon,
  'id' | 'entity' | 'item' | 'quantity' | 'created_at' | 'subscription_id' | 'invoice_id',
  { item: ItemEntity; invoice_id: string | null }
>;

export type LineItemEntity = Shaped<
  Invoices.RazorpayLineItems,
  | 'id'
  | 'item_id'
  | 'ref_id'
  | 'ref_type'
  | 'name'
  | 'description'
  | 'amount'
  | 'unit_amount'
  | 'gross_amount'
  | 'tax_amount'
  | 'taxable_amount'
  | 'currency'
  | 'type'
  | 'tax_inclusive'
  | 'hsn_code'
  | 'sac_code'
  | 'tax_rate'
  | 'unit'
  | 'quantity'
  | 'taxes',
  {
    item_id: string | null;
    description: string | null;
    amount: number;
    gross_amount: number;
    tax_amount: number;
    taxable_amount: number;
    type: 'plan' | 'addon';
    unit: null;
    taxes: never[];
  }
> & { net_amount: number };

export type InvoiceStatus = NonNullable<Invoices.RazorpayInvoice['status']>;

export type InvoiceEntity = Shaped<
  Invoices.RazorpayInvoice,
  | 'id'
  | 'entity'
  | 'receipt'
  | 'invoice_number'
  | 'customer_id'
  | 'customer_details'
  | 'order_id'
  | 'line_items'
  | 'payment_id'
  | 'status'
  | 'expire_by'
  | 'issued_at'
  | 'paid_at'
  | 'cancelled_at'
  | 'expired_at'
  | 'sms_status'
  | 'email_status'
  | 'date'
  | 'terms'
  | 'partial_payment'
  | 'gross_amount'
  | 'tax_amount'
  | 'taxable_amount'
  | 'amount'
  | 'amount_paid'
  | 'amount_due'
  | 'currency'
  | 'currency_symbol'
  | 'description'
  | 'notes'
  | 'comment'
  | 'short_url'
  | 'view_less'
  | 'billing_start'
  | 'billing_end'
  | 'type'
  | 'group_taxes_discounts'
  | 'created_at'
  | 'idempotency_key',
  {
    receipt: string | null;
    invoice_number: string | null;
    customer_id: string | null;
    order_id: string;
    line_items: LineItemEntity[];
    payment_id: string | null;
    status: InvoiceStatus;
    expire_by: number | null;
    date: number;
    terms: null;
    partial_payment: boolean;
    amount: number;
    amount_paid: number;
    amount_due: number;
    currency: string;
    description: string | null;
    notes: RenderedNotes;
    comment: null;
    type: 'invoice';
    idempotency_key: null;
  }
> & {
  /** Not in the declarations; every subscription invoice of the docs carries it. */
  subscription_id: string | null;
};
