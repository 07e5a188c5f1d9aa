export { reconcile } from './reconcile.ts';
export type { ReconcileInput, UsageFacts, AcceptedUsage, BilledUsage } from './reconcile.ts';
export type { Break, BreakKind, BreakObject, ReconcileResult, ReconcileSummary, Witness } from './breaks.ts';
export { breakKinds } from './breaks.ts';
export type {
  MoneyMovement,
  MovementKind,
  PspRecords,
  PspObjectRecord,
  PspCustomerRecord,
} from './psp-records.ts';
export { stripeRecords, type StripeDump, type StripeRecordsOptions } from './records/stripe.ts';
export { renderText, type TextOptions } from './render/text.ts';
export { renderJson } from './render/json.ts';
export { renderMarkdown } from './render/markdown.ts';
