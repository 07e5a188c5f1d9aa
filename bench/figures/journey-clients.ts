// The clients of the journeys (bench/figures/journeys.ts): one fresh fake each, called
// in-process, each bounded as `serve` bounds its journal.
import { razorpayAuth, stripeHeaders } from './http.ts';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import type { PspRequest, PspResult } from '../../src/fakes/common/psp-core.ts';
import { createRazorpayFake } from '../../src/fakes/razorpay/index.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';

export type Body = Record<string, unknown> & { readonly id: string };
export type Call = (method: string, path: string, body?: string) => Body;
/** One journey, the `n`-th: a few requests that depend on each other's answers. */
export type Journey = (n: number) => void;

/** A client of one core that fails loudly on any answer but a success. */
function clientOf(
  core: { handleNow(request: PspRequest): PspResult },
  headers: Record<string, string>,
): Call {
  return (method, path, rawBody = '') => {
    const [pathOnly = path, query = ''] = path.split('?');
    const { response } = core.handleNow({ method, path: pathOnly, query, headers, rawBody });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.body}`);
    return JSON.parse(response.body || '{}') as Body;
  };
}

// Each fake bounded as `serve` bounds its journal, so memory is what the store holds.
export const simulation = () =>
  createSimulation({ seed: 42, journalRecordsMax: 200_000, journalCharactersMax: 32 << 20 });

export function stripeClient(): Call {
  return clientOf(createStripeFake(simulation()).core, stripeHeaders);
}

export function adyenClient(): Call {
  const headers = { 'x-api-key': 'AQE_fakepsp_test_key', 'content-type': 'application/json' };
  return clientOf(createAdyenFake(simulation()).core, headers);
}

export function razorpayClient(fake = createRazorpayFake(simulation())): Call {
  return clientOf(fake.core, { authorization: razorpayAuth, 'content-type': 'application/json' });
}
