import type { PspName } from '../fakes/common/psp-core.ts';

/** Where a payment obligation stands; moves only along {@link transitions}. */
export type PaymentState = 'created' | 'unknown' | 'processing' | 'succeeded' | 'failed';

// `unknown`: the response was lost; the poll job re-drives it under the same idempotency key.
const transitions: Record<PaymentState, readonly PaymentState[]> = {
  created: ['processing', 'succeeded', 'failed', 'unknown'],
  unknown: ['processing', 'succeeded', 'failed'],
  processing: ['succeeded', 'failed'],
  failed: ['processing', 'succeeded', 'unknown'],
  succeeded: [],
};

/** One thing the service must collect: a period's invoice or a wallet top-up. */
export interface Payment {
  readonly id: string;
  readonly customerId: string;
  readonly purpose: 'invoice' | 'topup';
  readonly amount: number;
  readonly currency: string;
  /** Where it is collected: Stripe unless the customer is at Adyen or Razorpay (multi-psp). */
  readonly psp?: PspName;
  /** Direct charge on this connected account (embedded, transparent). */
  readonly account?: string;
  /** Destination charge to this connected account with an application fee (embedded, opaque). */
  readonly destination?: { readonly account: string; readonly applicationFee: number };
  intentId?: string;
  /** Adyen: the authorised payment's pspReference. Razorpay: the current attempt's order id. */
  pspRef?: string;
  state: PaymentState;
  attempts: number;
  lastAttemptMs: number;
}

/** Every payment obligation, by id and by PaymentIntent. */
export class PaymentBook {
  readonly #payments = new Map<string, Payment>();

  add(payment: Omit<Payment, 'state' | 'attempts' | 'lastAttemptMs'>): Payment {
    const created: Payment = { ...payment, state: 'created', attempts: 0, lastAttemptMs: 0 };
    this.#payments.set(created.id, created);
    return created;
  }

  get(id: string): Payment | undefined {
    return this.#payments.get(id);
  }

  all(): readonly Payment[] {
    return [...this.#payments.values()];
  }

  /** Moves a payment if the table allows it; a stale or repeated outcome changes nothing. */
  move(payment: Payment, to: PaymentState): boolean {
    if (!transitions[payment.state].includes(to)) return false;
    payment.state = to;
    return true;
  }
}
