import type { PspResult } from '../../../src/fakes/common/psp-core.ts';
import {
  createRazorpayFake,
  type RazorpayDump,
  type RazorpayFake,
  type RazorpayFakeOptions,
} from '../../../src/fakes/razorpay/index.ts';
import { createSimulation, type Simulation } from '../../../src/sim/simulation.ts';

/** `Authorization` for the fake's default key pair. */
export const authorization = `Basic ${Buffer.from('rzp_test_fakepsp:fakepsp_test_secret').toString('base64')}`;

/** A fake Razorpay called directly, with no transport: for unit tests of the core. */
export function directRazorpay(seed = 1, options: RazorpayFakeOptions = {}) {
  const sim: Simulation = createSimulation({ seed });
  const fake: RazorpayFake = createRazorpayFake(sim, options);
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; result: PspResult }> => {
    const [pathname, query = ''] = path.split('?') as [string, string?];
    const result = await fake.core.handle({
      method,
      path: pathname,
      query,
      headers: { authorization, 'content-type': 'application/json', ...headers },
      rawBody: body === undefined ? '' : JSON.stringify(body),
    });
    return { status: result.response.status, body: JSON.parse(result.response.body), result };
  };
  const act = (name: string, body: unknown): any => {
    const result = fake.actions[name]!(body);
    if (result.status !== 200) throw new Error(`${name}: ${JSON.stringify(result.body)}`);
    return result.body;
  };
  return { sim, fake, call, act, dump: () => fake.dump() as unknown as RazorpayDump };
}
