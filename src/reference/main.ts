import { parseArgs } from 'node:util';
import express from 'express';
import { billingSystemRouter } from '../sut/http-binding.ts';
import type { EmbeddedVariant } from './context.ts';
import { createReferenceBillingSystem } from './index.ts';
import { mutantNames, type MutantName } from './mutants.ts';

/**
 * Serves the reference billing service over the SUT HTTP binding on 127.0.0.1.
 *
 * @example
 * // npx node src/reference/main.ts --port 4000 [--embedded-variant opaque] [--mutant noWebhookDedupe]
 * const { url, close } = await serveReference({ port: 4000 });
 */
export async function serveReference(options: {
  readonly port: number;
  readonly embeddedVariant?: EmbeddedVariant;
  readonly mutant?: MutantName;
}): Promise<{ readonly url: string; close(): Promise<void> }> {
  const system = createReferenceBillingSystem({
    ...(options.embeddedVariant === undefined ? {} : { embeddedVariant: options.embeddedVariant }),
    ...(options.mutant === undefined ? {} : { mutant: options.mutant }),
  });
  const app = express();
  app.use(billingSystemRouter(system));
  const server = app.listen(options.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await system.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseCommandLine(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '4000' },
      'embedded-variant': { type: 'string' },
      mutant: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port ${values.port} is not a port`);
  const variant = values['embedded-variant'];
  if (variant !== undefined && variant !== 'transparent' && variant !== 'opaque') {
    throw new Error('--embedded-variant is transparent or opaque');
  }
  const mutant = values.mutant;
  if (mutant !== undefined && !mutantNames.includes(mutant as MutantName)) {
    throw new Error(`--mutant is one of ${mutantNames.join(', ')}`);
  }
  return {
    port,
    ...(variant === undefined ? {} : { embeddedVariant: variant as EmbeddedVariant }),
    ...(mutant === undefined ? {} : { mutant: mutant as MutantName }),
  };
}

if (import.meta.main) {
  const served = await serveReference(parseCommandLine(process.argv.slice(2)));
  process.stdout.write(`reference billing service on ${served.url} (HTTP binding v1 under /fakepsp/)\n`);
  const stop = () => void served.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
