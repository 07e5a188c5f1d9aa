// How long and how hard `npm run bench` pushes: the defaults fit ~5 minutes on 2 cores,
// BENCH_QUICK=1 is a ~1-minute smoke run whose absolute thresholds are not judged.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function seconds(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, not ${text}`);
  return value;
}

export const quick = process.env.BENCH_QUICK === '1';

export const benchConfig = {
  quick,
  /** Measured seconds per HTTP target (and per baseline). */
  httpSeconds: seconds('BENCH_HTTP_SECONDS', quick ? 1 : 3),
  /** Unmeasured load before every measurement, so the JIT has settled. */
  warmupSeconds: quick ? 0.3 : 1,
  /** Concurrent keep-alive connections, as the instrument (autocannon -c 10). */
  connections: 10,
  soakSeconds: seconds('BENCH_SOAK_SECONDS', quick ? 10 : 60),
  /** The Adyen and Razorpay soaks (figure 2's memory rows for the fakes that are not Stripe). */
  pspSoakSeconds: seconds('BENCH_PSP_SOAK_SECONDS', quick ? 4 : 20),
  soakWindowSeconds: 5,
  meterEvents: seconds('BENCH_METER_EVENTS', quick ? 50_000 : 1_000_000),
  mswSeconds: quick ? 1 : 2,
  webhookDeliveries: quick ? 1_000 : 3_000,
  perWindowJourneys: quick ? 200 : 2_000,
  journeyWindows: 5,
  exploreSeconds: seconds('BENCH_EXPLORE_SECONDS', quick ? 5 : 20),
  /** BENCH_ONLY=1,5: run only these figures (the record is then not written). */
  only: (process.env.BENCH_ONLY ?? '')
    .split(',')
    .filter((figure) => figure.trim() !== '')
    .map(Number),
  /** Longest any one load may run: a fake that slows to a crawl fails instead of hanging. */
  loadSecondsMax: 180,
  /** Where the local CA and certificates for the HTTPS targets live (outside the repository). */
  tlsDir: join(tmpdir(), 'fakepsp-bench-tls'),
};
