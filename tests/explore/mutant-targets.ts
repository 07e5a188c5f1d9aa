import type { MutantName } from '../../src/reference/index.ts';

/** Where exploration looks for one seeded bug of the reference. */
export interface MutantTarget {
  readonly pattern: string;
  readonly psp: string;
  readonly seed: number;
  /** A module SUT instead of `--mutant` (the opaque embedded variant holds that bug's code). */
  readonly sut?: string;
}

/**
 * Each seeded bug of the reference, explored where it lives: the pattern and PSP whose code
 * holds it, and a seed whose first finding comes early (bench/explore.bench.ts measures the time
 * to first finding over several seeds).
 */
export const mutantTargets: Readonly<Record<MutantName, MutantTarget>> = {
  retryMintsNewIdempotencyKey: { pattern: 'byo-stripe', psp: 'stripe', seed: 3 },
  noWebhookDedupe: { pattern: 'byo-stripe', psp: 'stripe', seed: 1 },
  refundBeforePaymentDropped: { pattern: 'managed-stripe', psp: 'stripe', seed: 7 },
  zeroDecimalTimes100: { pattern: 'byo-stripe', psp: 'stripe', seed: 5 },
  duplicateUsageBilled: { pattern: 'byo-stripe', psp: 'stripe', seed: 4 },
  lostDisputeNeverPosted: { pattern: 'byo-stripe', psp: 'stripe', seed: 12 },
  badSignatureAccepted: { pattern: 'byo-stripe', psp: 'stripe', seed: 2 },
  staleSignatureAccepted: { pattern: 'byo-stripe', psp: 'stripe', seed: 9 },
  wrongConnectAccountCredited: {
    pattern: 'embedded-stripe',
    psp: 'stripe',
    seed: 5,
    sut: 'tests/fixtures/opaque-wrong-connect.ts',
  },
  nonAtomicWalletDebit: { pattern: 'embedded-stripe', psp: 'stripe', seed: 5 },
  billingJobRerunCharges: { pattern: 'byo-stripe', psp: 'stripe', seed: 5 },
  dashboardRefundIgnored: { pattern: 'byo-stripe', psp: 'stripe', seed: 12 },
  refundFailureIgnored: { pattern: 'byo-stripe', psp: 'stripe', seed: 4 },
  noReconcileJob: { pattern: 'byo-stripe', psp: 'stripe', seed: 4 },
  adyenCaptureFailureBooked: { pattern: 'multi-psp', psp: 'adyen', seed: 3 },
  razorpayFailedThenCapturedIgnored: { pattern: 'multi-psp', psp: 'razorpay', seed: 2 },
  razorpayAuthorisedBooked: { pattern: 'multi-psp', psp: 'razorpay', seed: 2 },
  unsignedWebhookAccepted: { pattern: 'byo-stripe', psp: 'stripe', seed: 4 },
  usagePricedInFloat: { pattern: 'byo-stripe', psp: 'stripe', seed: 2 },
  razorpayAddonBookedPerDelivery: { pattern: 'managed-razorpay', psp: 'razorpay', seed: 1 },
};
