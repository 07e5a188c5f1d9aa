import type { RazorpayErrorKind } from './errors.ts';

/** One API key pair of the account. */
export interface RazorpayKeyPair {
  readonly keyId: string;
  readonly keySecret: string;
}

/** The pair the fake accepts unless told otherwise. */
export const defaultRazorpayKeys: readonly RazorpayKeyPair[] = [
  { keyId: 'rzp_test_fakepsp', keySecret: 'fakepsp_test_secret' },
];

/**
 * Checks `Authorization` as Razorpay does: exactly `Basic base64(key_id:key_secret)` (`basic`,
 * `BASIC` and quoted tokens are refused), a known test key, its secret. A live key is unknown
 * to a test-mode fake. Returns the key pair, or the error to answer with.
 *
 * @example
 * authenticate('Basic cnpwX3Rlc3RfZmFrZXBzcDpmYWtlcHNwX3Rlc3Rfc2VjcmV0', defaultRazorpayKeys);
 * // { key: { keyId: 'rzp_test_fakepsp', … } }
 */
export function authenticate(
  header: string | undefined,
  keys: readonly RazorpayKeyPair[],
): { readonly key: RazorpayKeyPair } | { readonly error: RazorpayErrorKind } {
  if (header === undefined || header.trim() === '') return { error: { kind: 'api_key_missing' } };
  const credentials = basicCredentials(header);
  if (credentials === null) return { error: { kind: 'authentication_failed' } };
  const { keyId, secret } = credentials;
  const key = keys.find((candidate) => candidate.keyId === keyId);
  if (key === undefined || !keyId.startsWith('rzp_test_')) return { error: { kind: 'api_key_invalid' } };
  if (secret !== key.keySecret) return { error: { kind: 'authentication_failed' } };
  return { key };
}

/** The key id a request claims, for the journal (never the secret). */
export function claimedKeyId(header: string | undefined): string | null {
  return header === undefined ? null : (basicCredentials(header)?.keyId ?? null);
}

interface Credentials {
  readonly keyId: string;
  readonly secret: string;
}

// Every request of a run carries the same header: the last one's credentials are kept.
let lastHeader: string | undefined;
let lastCredentials: Credentials | null = null;

/** `Basic base64(key_id:key_secret)` decoded, exactly that form; null for anything else. */
function basicCredentials(header: string): Credentials | null {
  if (header === lastHeader) return lastCredentials;
  const found = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(header);
  const decoded = found === null ? '' : Buffer.from(found[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  lastCredentials = colon <= 0 ? null : { keyId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  lastHeader = header;
  return lastCredentials;
}
