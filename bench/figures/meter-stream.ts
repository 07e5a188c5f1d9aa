// Figure 5: a million meter events through the v2 meter event stream of a `serve` process
// (100 events a request, 10 connections, each event with its own identifier): time and the
// server's peak RSS, against the same requests sent to the bare server.
import { benchConfig } from '../lib/config.ts';
import { load, warmUp, type Target } from '../lib/load.ts';
import { startServe } from '../lib/serve.ts';
import { formatMegabytes, formatRate, type Row } from '../lib/report.ts';
import { baselineTarget, customerBody } from './http.ts';

/** Stripe takes at most 100 events per stream request. */
const eventsPerRequest = 100;

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<Record<string, string>> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const answer = (await response.json()) as Record<string, string>;
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** A meter, a customer and a session token on a fresh fake; the stream target that uses them. */
export async function streamTarget(base: string): Promise<Target> {
  const form = {
    authorization: 'Bearer sk_test_fakepsp',
    'content-type': 'application/x-www-form-urlencoded',
  };
  await post(
    `${base}/v1/billing/meters`,
    form,
    new URLSearchParams({
      display_name: 'Bench tokens',
      event_name: 'bench_tokens',
      'default_aggregation[formula]': 'sum',
      'customer_mapping[event_payload_key]': 'stripe_customer_id',
      'customer_mapping[type]': 'by_id',
      'value_settings[event_payload_key]': 'value',
    }).toString(),
  );
  const customer = await post(`${base}/v1/customers`, form, customerBody);
  const json = { authorization: 'Bearer sk_test_fakepsp', 'content-type': 'application/json' };
  const session = await post(`${base}/v2/billing/meter_event_session`, json, '{}');
  const events = Array.from({ length: eventsPerRequest }, (_, index) => ({
    event_name: 'bench_tokens',
    identifier: `[<id>]-${index}`,
    payload: { stripe_customer_id: customer.id!, value: '3' },
  }));
  return {
    url: `${base}/v2/billing/meter_event_stream`,
    method: 'POST',
    headers: { authorization: `Bearer ${session.authentication_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
    uniqueIds: true,
  };
}

export async function meterStreamFigure(bare: {
  url: string;
  pid: number;
  peakRss: () => number;
}): Promise<Row> {
  const server = await startServe();
  try {
    const target = await streamTarget(server.ready.urls.stripe!);
    const amount = Math.ceil(benchConfig.meterEvents / eventsPerRequest);
    const bareTarget = baselineTarget(target, bare.url);
    await warmUp(bareTarget);
    const baseline = await load(bareTarget, { amount });
    const result = await load(target, { amount });
    const peak = server.rss().peakBytes;
    const events = result.requests * eventsPerRequest;
    const full = benchConfig.meterEvents >= 1_000_000;
    const failed =
      result.requests < amount
        ? `, STOPPED: only ${result.requests} of ${amount} requests answered`
        : result.non2xx + result.errors === 0
          ? ''
          : `, ${result.non2xx} non-2xx, ${result.errors} errors`;
    return {
      figure: 5,
      name: `${events >= 1e6 ? `${events / 1e6}M` : `${events / 1e3}k`} v2 meter events, stream, 100/request · serve`,
      value:
        `${result.seconds.toFixed(1)} s (${formatRate(events / result.seconds, 'ev/s')}), ` +
        `peak RSS ${formatMegabytes(peak)}${failed}`,
      baseline: `bare http ${baseline.seconds.toFixed(1)} s, peak ${formatMegabytes(bare.peakRss())}`,
      ratio: { kind: 'throughput', value: baseline.seconds / result.seconds },
      threshold: '≤ 20 s, ≤ 300 MB',
      ...(full ? { pass: result.seconds <= 20 && peak <= 300 * 1024 * 1024 && failed === '' } : {}),
    };
  } finally {
    await server.stop();
  }
}
