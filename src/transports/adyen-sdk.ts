import { HttpURLConnectionClient } from '@adyen/api-library';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

/** The origin every Checkout API class of `@adyen/api-library` hard-codes for the TEST environment. */
export const adyenCheckoutTestOrigin = 'https://checkout-test.adyen.com';

type RequestArguments = Parameters<HttpURLConnectionClient['request']>;

/**
 * The SDK's own HTTP client, pointed at another origin: every endpoint under
 * `https://checkout-test.adyen.com` goes to `apiBase` instead, and everything else — headers,
 * idempotency keys, timeouts, the SDK's error mapping to `HttpClientException` — is the SDK's.
 */
class RedirectedHttpClient extends HttpURLConnectionClient {
  readonly #apiBase: string;

  constructor(apiBase: string) {
    super();
    this.#apiBase = apiBase.replace(/\/+$/, '');
  }

  override request(
    ...[endpoint, json, config, isApiRequired, requestOptions]: RequestArguments
  ): Promise<string> {
    const target = endpoint.startsWith(adyenCheckoutTestOrigin)
      ? this.#apiBase + endpoint.slice(adyenCheckoutTestOrigin.length)
      : endpoint;
    return super.request(target, json, config, isApiRequired, requestOptions);
  }
}

/**
 * How a Node service points the official Adyen SDK at a fake: the SDK has no base-URL option
 * and speaks only HTTPS, so hand its `Client` this HTTP client (and trust the fake's CA with
 * {@link trustCaCertificate}).
 *
 * @example
 * import { CheckoutAPI, Client, EnvironmentEnum } from '@adyen/api-library';
 * import { readFileSync } from 'node:fs';
 * trustCaCertificate(readFileSync('.fakepsp/tls/ca.pem', 'utf8')); // the CA `fakepsp serve` made
 * const apiKey = 'AQE_fakepsp_test_key';
 * const client = new Client({ apiKey, environment: EnvironmentEnum.TEST }, adyenHttpClient('https://127.0.0.1:12112'));
 * const payments = new CheckoutAPI(client).PaymentsApi; // keep it: the getter builds a new one per access
 */
export function adyenHttpClient(apiBase: string): HttpURLConnectionClient {
  const url = new URL(apiBase);
  if (url.protocol !== 'https:') throw new RangeError(`the Adyen SDK speaks only HTTPS; got ${apiBase}`);
  return new RedirectedHttpClient(apiBase);
}

/**
 * Adds a CA certificate (PEM) to this process's default trust store, so HTTPS clients that use
 * Node's defaults — the Adyen SDK among them — accept a loopback fake's certificate. The same
 * as `NODE_EXTRA_CA_CERTS`, but in-process and at any time (Node 24's `tls.setDefaultCACertificates`).
 */
export function trustCaCertificate(pem: string): void {
  const current = getCACertificates('default');
  if (current.includes(pem)) return;
  setDefaultCACertificates([...current, pem]);
}
