/** One API credential of the company account: an `X-API-Key` and the merchant accounts it may use. */
export interface AdyenApiCredential {
  readonly apiKey: string;
  /** The merchant accounts the key has roles for; others get 403 "901". Absent: every one. */
  readonly merchantAccounts?: readonly string[];
}

/** The key the fake accepts unless told otherwise (the one `fakepsp serve` prints). */
export const defaultAdyenApiKeys: readonly AdyenApiCredential[] = [{ apiKey: 'AQE_fakepsp_test_key' }];

/** Who is calling: the API credential, which also scopes idempotency keys. */
export interface Credential {
  /** The whole credential: idempotency keys are scoped per API key (or web service user). */
  readonly scope: string;
  /** What the journal may show of it. */
  readonly label: string;
  /** The merchant accounts it may act for; `undefined` for every one. */
  readonly merchantAccounts: readonly string[] | undefined;
}

// Adyen's web service users: `ws@Company.YourCompany`, `ws_123456@Company.YourCompany`.
const webServiceUser = /^ws(_[0-9A-Za-z]+)?@Company\.[^\s:]+$/;

/**
 * Reads the credential as Adyen checks it: an `X-API-Key` the account has (Adyen answers any
 * other with 401 "000"), or Basic auth as a web service user with a password (any such user:
 * the fake keeps no users). `undefined` is a 401.
 */
export function credentialOf(
  headers: Readonly<Record<string, string>>,
  apiKeys: readonly AdyenApiCredential[],
): Credential | undefined {
  const key = headers['x-api-key']?.trim();
  if (key !== undefined && key !== '') {
    const known = apiKeys.find((credential) => credential.apiKey === key);
    if (known === undefined) return undefined;
    return {
      scope: `key:${key}`,
      label: `apiKey:...${key.slice(-4)}`,
      merchantAccounts: known.merchantAccounts,
    };
  }
  const [scheme = '', encoded = ''] = (headers.authorization ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  if (!webServiceUser.test(user) || password === '') return undefined;
  return { scope: `user:${user}`, label: user, merchantAccounts: undefined };
}

/** The key a request claims, for the journal when it is refused (its last four characters). */
export function claimedKeyLabel(headers: Readonly<Record<string, string>>): string | undefined {
  const key = headers['x-api-key']?.trim();
  return key === undefined || key === '' ? undefined : `apiKey:...${key.slice(-4)}`;
}
