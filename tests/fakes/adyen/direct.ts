import { createAdyenFake, type AdyenFake, type AdyenFakeOptions } from '../../../src/fakes/adyen/index.ts';
import { createSimulation, type Simulation } from '../../../src/sim/simulation.ts';

/** A fake Adyen driven in-process through its core, for unit tests that need no transport. */
export interface DirectAdyen {
  readonly sim: Simulation;
  readonly fake: AdyenFake;
  /** One request: the status, the headers and the parsed JSON body (null for none). */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Readonly<Record<string, string>>; body: Record<string, unknown> }>;
}

export const merchantAccount = 'FakepspECOM';

export function directAdyen(seed = 1, options: AdyenFakeOptions = {}): DirectAdyen {
  const sim = createSimulation({ seed });
  const fake = createAdyenFake(sim, options);
  return {
    sim,
    fake,
    call: async (method, path, body, headers = {}) => {
      const [pathname = '', query = ''] = path.split('?');
      const result = await fake.core.handle({
        method,
        path: pathname,
        query,
        headers: { 'x-api-key': 'AQE_fakepsp_test_key', 'content-type': 'application/json', ...headers },
        rawBody: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = result.response.body;
      return {
        status: result.response.status,
        headers: result.response.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
    },
  };
}

/** A card payment body with Adyen's test placeholders. */
export function cardBody(overrides: Record<string, unknown> = {}, holderName = 'John Smith') {
  return {
    amount: { value: 1000, currency: 'EUR' },
    merchantAccount,
    reference: 'order-1',
    returnUrl: 'https://shop.example/return',
    paymentMethod: {
      type: 'scheme',
      encryptedCardNumber: 'test_4111111111111111',
      encryptedExpiryMonth: 'test_03',
      encryptedExpiryYear: 'test_2030',
      encryptedSecurityCode: 'test_737',
      holderName,
    },
    ...overrides,
  };
}
