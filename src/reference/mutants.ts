/**
 * Seeded bugs of the reference billing service: one flag each, switched on with
 * `createReferenceBillingSystem({ mutant })`. Each is a real bug pattern
 * (harness-anchors.md §6, numbers in brackets) that the scenarios and the checker must catch.
 */
export const mutants = {
  retryMintsNewIdempotencyKey:
    'a charge whose response was lost is retried under a new idempotency key, charging twice [§6.6, §6.7]',
  noWebhookDedupe: 'webhooks are not deduplicated by event id and every delivery posts again [§6.1, §6.12]',
  refundBeforePaymentDropped:
    'a refund event for a payment the ledger has not booked yet is acknowledged and dropped [§6.10, §6.11]',
  zeroDecimalTimes100: 'zero-decimal currencies (JPY, KRW) are sent to the PSP multiplied by 100 [§6.14]',
  usagePricedInFloat:
    'usage is priced per event in floating-point major units and truncated, so some events lose a minor unit [§6.14]',
  duplicateUsageBilled: 'usage events are not deduplicated by eventId, so repeats are billed [§6.18]',
  lostDisputeNeverPosted: 'dispute events are ignored: withdrawn funds never reach the ledger [§6.16]',
  badSignatureAccepted: 'webhook signatures are not verified: forged or tampered events are booked [§6.21]',
  unsignedWebhookAccepted:
    'signatures are checked only when one is present: a delivery with none at all is booked [§6.21]',
  staleSignatureAccepted:
    'the signature tolerance is a year, so replayed old deliveries are accepted [§6.21]',
  wrongConnectAccountCredited:
    'a top-up is routed to another tenant’s connected account (off by one in the account lookup)',
  nonAtomicWalletDebit: 'the wallet debit reads the balance, awaits, then writes, so concurrent debits race',
  billingJobRerunCharges:
    'the period-end billing job forgets what it billed, so a re-run charges the period again [§6.3, §6.5]',
  dashboardRefundIgnored: 'only refunds the service started are booked; dashboard refunds are lost [§6.15]',
  refundFailureIgnored: 'refund.failed is ignored, so a refund that bounced stays booked as paid out',
  noReconcileJob: 'no poll job: a missed webhook or a lost response is never reconciled [§6.9, §6.13]',
  adyenCaptureFailureBooked:
    'an Adyen CAPTURE webhook with success "false" is booked as paid (the string "false" is truthy)',
  razorpayAuthorisedBooked:
    'a Razorpay payment.authorized is booked as paid and never captured, so the authorisation Razorpay gives back stays booked',
  razorpayAddonBookedPerDelivery:
    'Razorpay’s invoice.paid skips the event-id check (the invoice key seemed enough), and a repeat books the invoice’s usage add-ons again: the add-on is billed twice [§6.1, §6.12]',
  razorpayFailedThenCapturedIgnored:
    'a Razorpay payment.failed is treated as final, so the payment.captured that follows is never booked',
} as const;

/** The name of one seeded bug. */
export type MutantName = keyof typeof mutants;

/** Every seeded bug's name. */
export const mutantNames = Object.keys(mutants) as MutantName[];
