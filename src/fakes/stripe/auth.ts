import type { StripeErrorKind } from './errors.ts';

/** The one endpoint authenticated by a meter-event session token rather than an API key. */
export const meterEventStreamPath = '/v2/billing/meter_event_stream';

/**
 * Checks the `Authorization` header as Stripe does: Bearer or Basic (key as the user name).
 * Test-mode secret and restricted keys pass; a live key is refused, as fakepsp is test-only.
 */
export function checkApiKey(authorization: string | undefined, path = ''): StripeErrorKind | undefined {
  if (authorization !== undefined && authorization === lastAccepted) return undefined;
  const key = apiKeyOf(authorization);
  if (key === undefined || key === '') return { kind: 'api_key_missing' };
  if (/^(sk|rk)_live_/.test(key)) return { kind: 'live_key_refused', key };
  // The meter event stream takes a session token instead; its handler checks the token.
  if (path === meterEventStreamPath && /^ek_test_[0-9A-Za-z]+$/.test(key)) return undefined;
  if (!/^(sk|rk)_test_[0-9A-Za-z_]+$/.test(key)) return { kind: 'api_key_invalid', key };
  lastAccepted = authorization;
  return undefined;
}

// Every request of a run carries the same header: the last one accepted on any path (a secret
// or restricted test key) and the last one's key are remembered, not parsed again.
let lastAccepted: string | undefined;
let lastAuthorization: string | undefined;
let lastKey: string | undefined;

/** The API key carried by an `Authorization` header, if any. */
export function apiKeyOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  if (authorization !== lastAuthorization) {
    lastKey = keyOfHeader(authorization);
    lastAuthorization = authorization;
  }
  return lastKey;
}

function keyOfHeader(authorization: string): string | undefined {
  const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.split(':')[0];
  }
  return undefined;
}
