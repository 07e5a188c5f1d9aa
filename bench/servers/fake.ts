// A fake under load, in its own process.
//   node bench/servers/fake.ts serve <tlsDir>        `fakepsp serve`'s servers from the source, for profiles
//                                                    (the figures run the installed command: lib/serve.ts)
//   node bench/servers/fake.ts core <psp> <tlsDir>   one core alone on the node:http(s) adapter (no admin API, no other fakes)
//   NO_SPILL=1 keeps the fakes' stores all in memory (to measure what spilling costs)
// Announces `READY {"urls": {...}}`; exits cleanly on SIGTERM (so `--cpu-prof` is written).
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { announceReady } from '../lib/proc.ts';
import { serve } from '../../src/cli/serve.ts';
import {
  serveJournalCharactersMax,
  serveJournalMax,
  serveWebhooksInFlight,
} from '../../src/cli/serve-limits.ts';
import { serveJournalChunks, serveSpill } from '../../src/cli/serve-spill.ts';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import type { PspName } from '../../src/fakes/common/psp-core.ts';
import { createRazorpayFake } from '../../src/fakes/razorpay/index.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { createHttpApp } from '../../src/transports/http-app.ts';
import { loadOrCreateLocalTls } from '../../src/transports/local-tls.ts';
import { httpWebhookSender } from '../../src/transports/webhook-sender.ts';

function coreOf(psp: PspName) {
  // The journal bounded and kept on disk, the stores spilled and state left unfrozen, as
  // `serve` does, so the two figures differ by the transport alone.
  const sim = createSimulation({
    seed: 42,
    journalRecordsMax: serveJournalMax,
    journalCharactersMax: serveJournalCharactersMax,
    journalSealedChunks: serveJournalChunks(undefined),
  });
  const unspilled = { send: httpWebhookSender, freezeState: false, webhooksInFlight: serveWebhooksInFlight };
  const options = process.env.NO_SPILL ? unspilled : { ...unspilled, spill: serveSpill({}) };
  if (psp === 'stripe') return createStripeFake(sim, options);
  if (psp === 'adyen') return createAdyenFake(sim, options);
  return createRazorpayFake(sim, options);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'serve') {
  const running = await serve({
    host: '127.0.0.1',
    stripePort: 0,
    adyenPort: 0,
    razorpayPort: 0,
    seed: 42,
    clock: 'manual',
    stripeKey: 'sk_test_fakepsp',
    caDir: rest[0] ?? '.fakepsp/tls',
  });
  announceReady({ urls: running.urls });
} else if (mode === 'core') {
  const psp = rest[0] as PspName;
  const fake = coreOf(psp);
  const listener = createHttpApp(fake.core, { afterResponse: () => fake.flushWebhooks() });
  // Adyen's SDK speaks only HTTPS, so its core is measured over HTTPS, as `serve` serves it.
  const https = psp === 'adyen';
  const server = https
    ? createHttpsServer(await loadOrCreateLocalTls(rest[1] ?? '.fakepsp/tls'), listener)
    : createServer(listener);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    announceReady({ urls: { [psp]: `${https ? 'https' : 'http'}://127.0.0.1:${port}` } });
  });
} else {
  throw new Error(`usage: fake.ts serve <tlsDir> | core <psp> <tlsDir> (got ${mode})`);
}
