// A fake under load, in its own process.
//   node bench/servers/fake.ts serve <tlsDir>        what `fakepsp serve` runs (all three fakes)
//   node bench/servers/fake.ts core <psp> <tlsDir>   one core on bare node:http(s), no express
// Announces `READY {"urls": {...}}`; exits cleanly on SIGTERM (so `--cpu-prof` is written).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { announceReady } from '../lib/proc.ts';
import { serve } from '../../src/cli/serve.ts';
import { createAdyenFake } from '../../src/fakes/adyen/index.ts';
import type { PspCore, PspName, PspRequest } from '../../src/fakes/common/psp-core.ts';
import { createRazorpayFake } from '../../src/fakes/razorpay/index.ts';
import { createStripeFake } from '../../src/fakes/stripe/index.ts';
import { createSimulation } from '../../src/sim/simulation.ts';
import { loadOrCreateLocalTls } from '../../src/transports/local-tls.ts';
import { fetchWebhookSender } from '../../src/transports/webhook-sender.ts';

/** The bench's own transport: what a minimal node:http adapter over `core.handle` costs. */
function bareAdapter(core: PspCore, afterResponse: () => Promise<unknown>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const queryAt = url.indexOf('?');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const request: PspRequest = {
        method: req.method ?? 'GET',
        path: queryAt < 0 ? url : url.slice(0, queryAt),
        query: queryAt < 0 ? '' : url.slice(queryAt + 1),
        headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      void core.handle(request).then((result) => {
        if (result.directive !== undefined) req.socket.destroy();
        else res.writeHead(result.response.status, result.response.headers).end(result.response.body);
        void afterResponse().catch(() => undefined);
      });
    });
  };
}

function coreOf(psp: PspName) {
  const sim = createSimulation({ seed: 42 });
  const options = { send: fetchWebhookSender };
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
  const listener = bareAdapter(fake.core, () => fake.flushWebhooks());
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
