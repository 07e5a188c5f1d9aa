/**
 * `fakepsp/adyen`: pointing `@adyen/api-library` (which has no base-URL option and speaks only
 * HTTPS) at the fake Adyen.
 *
 * @example
 * import { Client, EnvironmentEnum } from '@adyen/api-library';
 * import { adyenHttpClient } from 'fakepsp/adyen';
 * const apiKey = 'AQE_fakepsp_test_key';
 * const client = new Client({ apiKey, environment: EnvironmentEnum.TEST }, adyenHttpClient('https://127.0.0.1:12112'));
 */
export { adyenHttpClient, trustCaCertificate } from '../transports/adyen-sdk.ts';
