import type { Customers } from 'razorpay/dist/types/customers.d.ts';
import type { Disputes } from 'razorpay/dist/types/disputes.d.ts';
import type { Orders } from 'razorpay/dist/types/orders.d.ts';
import type { Payments } from 'razorpay/dist/types/payments.d.ts';
import type { Refunds } from 'razorpay/dist/types/refunds.d.ts';
import type { Tokens } from 'razorpay/dist/types/tokens.d.ts';

/**
 * The objects the fake renders, typed from the `razorpay` package's own declarations: each is
 * picked by field name from the SDK's interface, so a misnamed field fails the typecheck. Where
 * the declarations disagree with what the API sends (a `null`, a `'consumer'`), the field is
 * narrowed or widened here, by name too.
 */
type Shaped<
  T,
  K extends keyof T,
  Override extends { [P in keyof Override]: P extends K ? unknown : never },
> = Omit<Pick<T, K>, keyof Override> & Override;

/** Notes as stored: up to 15 keys. */
export type Notes = Record<string, string | number>;

/** Notes as Razorpay renders them: an empty set is `[]`, a PHP artefact seen in every sample. */
export type RenderedNotes = Notes | never[];

export type OrderStatus = Orders.RazorpayOrder['status'];

export type OrderEntity = Shaped<
  Orders.RazorpayOrder,
  | 'id'
  | 'entity'
  | 'amount'
  | 'amount_paid'
  | 'amount_due'
  | 'currency'
  | 'receipt'
  | 'offer_id'
  | 'status'
  | 'attempts'
  | 'notes'
  | 'created_at',
  { amount: number; receipt: string | null; offer_id: string | null; notes: RenderedNotes }
>;

export type CardNetwork = Payments.RazorpayCard['network'];

export type CardEntity = Shaped<
  Payments.RazorpayCard,
  | 'id'
  | 'entity'
  | 'name'
  | 'last4'
  | 'network'
  | 'type'
  | 'issuer'
  | 'international'
  | 'emi'
  | 'sub_type'
  | 'token_iin',
  { issuer: string | null; sub_type: 'consumer' | 'business'; token_iin: string | null }
>;

export type PaymentStatus = Payments.RazorpayPayment['status'];

export type PaymentEntity = Shaped<
  Payments.RazorpayPayment,
  | 'id'
  | 'entity'
  | 'amount'
  | 'currency'
  | 'status'
  | 'order_id'
  | 'invoice_id'
  | 'international'
  | 'method'
  | 'amount_refunded'
  | 'refund_status'
  | 'captured'
  | 'description'
  | 'card_id'
  | 'card'
  | 'bank'
  | 'wallet'
  | 'vpa'
  | 'email'
  | 'contact'
  | 'customer_id'
  | 'token_id'
  | 'notes'
  | 'fee'
  | 'tax'
  | 'error_code'
  | 'error_description'
  | 'error_source'
  | 'error_step'
  | 'error_reason'
  | 'acquirer_data'
  | 'created_at',
  {
    amount: number;
    order_id: string | null;
    amount_refunded: number;
    refund_status: null | 'partial' | 'full';
    description: string | null;
    card: CardEntity;
    bank: string | null;
    contact: string | null;
    customer_id: string | null;
    notes: RenderedNotes;
    fee: number | null;
    tax: number | null;
    acquirer_data: { auth_code?: string };
  }
>;

export type RefundEntity = Shaped<
  Refunds.RazorpayRefund,
  | 'id'
  | 'entity'
  | 'amount'
  | 'currency'
  | 'payment_id'
  | 'notes'
  | 'receipt'
  | 'acquirer_data'
  | 'created_at'
  | 'batch_id'
  | 'status'
  | 'speed_processed'
  | 'speed_requested',
  {
    amount: number;
    notes: RenderedNotes;
    receipt: string | null;
    acquirer_data: { arn: string | null };
    batch_id: string | null;
  }
>;

export type CustomerEntity = Shaped<
  Customers.RazorpayCustomer,
  'id' | 'entity' | 'name' | 'email' | 'contact' | 'gstin' | 'notes' | 'created_at',
  {
    name: string | null;
    email: string | null;
    contact: string | null;
    gstin: string | null;
    notes: RenderedNotes;
  }
>;

export type TokenEntity = Shaped<
  Tokens.RazorpayToken,
  | 'id'
  | 'entity'
  | 'token'
  | 'bank'
  | 'wallet'
  | 'method'
  | 'card'
  | 'recurring'
  | 'recurring_details'
  | 'auth_type'
  | 'mrn'
  | 'used_at'
  | 'created_at'
  | 'expired_at'
  | 'dcc_enabled'
  | 'max_amount'
  | 'customer_id'
  | 'notes',
  {
    card: CardEntity & { expiry_month: number; expiry_year: number };
    used_at: number | null;
    max_amount: number;
    customer_id: string;
    notes: RenderedNotes;
  }
>;

export type DisputeEntity = Shaped<
  Disputes.RazorpayDispute,
  | 'id'
  | 'entity'
  | 'payment_id'
  | 'amount'
  | 'currency'
  | 'amount_deducted'
  | 'reason_code'
  | 'respond_by'
  | 'status'
  | 'phase'
  | 'created_at',
  { status: 'open' | 'under_review' | 'won' | 'lost' }
>;

/** Razorpay's list envelope. */
export interface Collection<T> {
  readonly entity: 'collection';
  readonly count: number;
  readonly items: readonly T[];
}

/** Stored notes rendered the way Razorpay does: `[]` when there are none. */
export function renderNotes(notes: Notes): RenderedNotes {
  return Object.keys(notes).length === 0 ? [] : { ...notes };
}

/** Rendered notes back as a plain map (`[]` is no notes). */
export function notesOf(notes: RenderedNotes): Notes {
  return Array.isArray(notes) ? {} : notes;
}
