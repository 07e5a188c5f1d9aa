import type { PaymentLinks } from 'razorpay/dist/types/paymentLink.d.ts';
import type { RenderedNotes } from './entities.ts';

type Shaped<
  T,
  K extends keyof T,
  Override extends { [P in keyof Override]: P extends K ? unknown : never },
> = Omit<Pick<T, K>, keyof Override> & Override;

/** A captured payment as a payment link lists it. */
export type LinkPaymentEntity = Shaped<
  PaymentLinks.RazorpayPaymentBaseRequestBody,
  'amount' | 'created_at' | 'method' | 'payment_id' | 'plink_id' | 'status' | 'updated_at',
  // The declarations say strings; the API sends the amount and times as numbers.
  { amount: number; created_at: number }
>;

export type PaymentLinkStatus = PaymentLinks.RazorpayPaymentLink['status'];

/** A standard payment link, typed from the SDK's declarations (`entities.ts` explains the shaping). */
export type PaymentLinkEntity = Shaped<
  PaymentLinks.RazorpayPaymentLink,
  | 'id'
  | 'accept_partial'
  | 'amount'
  | 'amount_paid'
  | 'callback_method'
  | 'callback_url'
  | 'cancelled_at'
  | 'created_at'
  | 'currency'
  | 'customer'
  | 'description'
  | 'expire_by'
  | 'expired_at'
  | 'first_min_partial_amount'
  | 'notes'
  | 'notify'
  | 'payments'
  | 'reference_id'
  | 'reminder_enable'
  | 'reminders'
  | 'short_url'
  | 'status'
  | 'updated_at'
  | 'upi_link'
  | 'user_id',
  {
    accept_partial: boolean;
    amount: number;
    callback_method: string;
    callback_url: string;
    created_at: number;
    currency: string;
    description: string;
    expire_by: number;
    first_min_partial_amount: number;
    notes: RenderedNotes;
    notify: { email: boolean; sms: boolean };
    payments: LinkPaymentEntity[] | null;
    reference_id: string;
    reminder_enable: boolean;
    upi_link: boolean;
  }
>;
