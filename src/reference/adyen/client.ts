import { CheckoutAPI, Client, EnvironmentEnum } from '@adyen/api-library';
import type { PspConnections } from '../../sut/contract.ts';
import { adyenHttpClient } from '../../transports/adyen-sdk.ts';

/** The Adyen SDK's Checkout services, held once: the SDK's getters build a new one per access. */
export interface AdyenConnection {
  readonly payments: CheckoutAPI['PaymentsApi'];
  readonly modifications: CheckoutAPI['ModificationsApi'];
  readonly merchantAccount: string;
  /** The standard-webhook HMAC key (hex), as configured in the Customer Area. */
  readonly hmacKey: string;
}

/**
 * The official Adyen SDK pointed at `apiBase`. The SDK has no base-URL option and speaks only
 * HTTPS, so its own HTTP client is given the fake's origin in place of checkout-test.adyen.com.
 */
export function createAdyenConnection(connection: NonNullable<PspConnections['adyen']>): AdyenConnection {
  const client = new Client(
    { apiKey: connection.apiKey, environment: EnvironmentEnum.TEST },
    adyenHttpClient(connection.apiBase),
  );
  const checkout = new CheckoutAPI(client);
  return {
    payments: checkout.PaymentsApi,
    modifications: checkout.ModificationsApi,
    merchantAccount: connection.merchantAccount,
    hmacKey: connection.hmacKey,
  };
}
