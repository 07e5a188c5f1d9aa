import type { CardNetwork } from './entities.ts';

/** Why a payment failed, in the `error_*` fields Razorpay puts on the payment. */
export interface PaymentFailure {
  readonly code: 'BAD_REQUEST_ERROR' | 'GATEWAY_ERROR';
  readonly description: string;
  readonly source: string;
  readonly step: string;
  readonly reason: string;
}

/**
 * Razorpay's test cards (payments/payments/test-card-details): the success cards, and the
 * failure cards with the reason each fails with once the customer picks "Failure" on the mock
 * bank page. Any other number of 12–19 digits is a card that works.
 */
export const razorpayTestCards = {
  visaSuccess: '4100280000001007',
  mastercardSuccess: '5500670000001002',
  visaSubscription: '4718609108204366',
  mastercardSubscription: '5104015555555558',
  insufficientFunds: '4100280000080001',
  mastercardInsufficientFunds: '5305620000050001',
  cardDeclined: '4100280000060003',
  timedOut: '4100280000090000',
  authenticationFailed: '4100280000000009',
  gatewayError: '4100280000020007',
} as const;

const insufficientFunds: PaymentFailure = {
  code: 'BAD_REQUEST_ERROR',
  description:
    'Your payment could not be completed due to insufficient account balance. Try another card or payment method.',
  source: 'customer',
  step: 'payment_authorization',
  reason: 'insufficient_funds',
};

const failures: Readonly<Record<string, PaymentFailure>> = {
  [razorpayTestCards.insufficientFunds]: insufficientFunds,
  [razorpayTestCards.mastercardInsufficientFunds]: insufficientFunds,
  [razorpayTestCards.cardDeclined]: {
    code: 'BAD_REQUEST_ERROR',
    description: 'Your payment has been declined by the bank. Try another card or payment method.',
    source: 'bank',
    step: 'payment_authorization',
    reason: 'card_declined',
  },
  [razorpayTestCards.timedOut]: {
    code: 'BAD_REQUEST_ERROR',
    description: 'Payment was not completed on time.',
    source: 'customer',
    step: 'payment_authentication',
    reason: 'payment_timed_out',
  },
  [razorpayTestCards.authenticationFailed]: {
    code: 'GATEWAY_ERROR',
    description: "Payment failed because cardholder couldn't be authenticated",
    source: 'customer',
    step: 'payment_authentication',
    reason: 'authentication_failed',
  },
  [razorpayTestCards.gatewayError]: {
    code: 'GATEWAY_ERROR',
    description: 'Payment processing failed due to error at bank or wallet gateway',
    source: 'gateway',
    step: 'payment_authorization',
    reason: 'gateway_technical_error',
  },
};

/** What a customer who chooses "Failure" on the bank page with a card that works gets. */
export const bankPageFailure: PaymentFailure = {
  code: 'BAD_REQUEST_ERROR',
  description: 'Payment failed',
  source: 'customer',
  step: 'payment_authentication',
  reason: 'payment_failed',
};

/** A test card: its network and last four, and how it fails (if it is a failure card). */
export interface TestCard {
  readonly number: string;
  readonly network: CardNetwork;
  readonly last4: string;
  readonly failure: PaymentFailure | undefined;
}

/** Whether `number` is a card number the fake takes (12–19 digits, spaces allowed). */
export function isCardNumber(number: string): boolean {
  return /^\d{12,19}$/.test(number.replaceAll(' ', ''));
}

/** The test card behind a number (spaces ignored). */
export function testCard(number: string): TestCard {
  const digits = number.replaceAll(' ', '');
  const network: CardNetwork = digits.startsWith('4')
    ? 'Visa'
    : /^5[1-5]/.test(digits)
      ? 'MasterCard'
      : /^3[47]/.test(digits)
        ? 'American Express'
        : /^(60|65|81|82)/.test(digits)
          ? 'RuPay'
          : 'Unknown';
  return { number: digits, network, last4: digits.slice(-4), failure: failures[digits] };
}
