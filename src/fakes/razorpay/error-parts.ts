/** Razorpay's error codes: validation and state errors are all `BAD_REQUEST_ERROR`. */
export type RazorpayErrorCode = 'BAD_REQUEST_ERROR' | 'GATEWAY_ERROR' | 'SERVER_ERROR';

/** What one error kind renders to, before Razorpay's defaults (400, "NA") fill the rest. */
export interface ErrorParts {
  readonly status?: number;
  readonly code?: RazorpayErrorCode;
  readonly description: string;
  readonly field?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Payment-creation errors name where they happened; everything else says "NA". */
  readonly initiation?: boolean;
}
