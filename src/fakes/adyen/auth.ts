/** Who is calling: the API credential, which also scopes idempotency keys. */
export interface Credential {
  /** The whole credential: idempotency keys are scoped per API key (or web service user). */
  readonly scope: string;
  /** What the journal may show of it. */
  readonly label: string;
}

// Adyen's web service users: `ws@Company.YourCompany`, `ws_123456@Company.YourCompany`.
const webServiceUser = /^ws(_[0-9A-Za-z]+)?@Company\.[^\s:]+$/;

/**
 * Reads the credential as Adyen accepts it: an `X-API-Key` (any non-empty key: fakepsp is a
 * test environment), or Basic auth as a web service user with a password.
 */
export function credentialOf(headers: Readonly<Record<string, string>>): Credential | undefined {
  const key = headers['x-api-key']?.trim();
  if (key !== undefined && key !== '') return { scope: `key:${key}`, label: `apiKey:…${key.slice(-4)}` };
  const [scheme = '', encoded = ''] = (headers.authorization ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  if (!webServiceUser.test(user) || password === '') return undefined;
  return { scope: `user:${user}`, label: user };
}
