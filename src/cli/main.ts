#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { readyLines, serve } from './serve.ts';

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError('expected an integer');
  return parsed;
}

/** Builds the `fakepsp` command line. */
export function buildProgram(): Command {
  const program = new Command('fakepsp').description(
    'Stateful, deterministic fake PSPs (Stripe; Adyen and Razorpay coming) for billing-system tests.',
  );
  program
    .command('serve')
    .description('serve the fake PSPs over HTTP(S) on loopback until interrupted')
    .option('--host <host>', 'address to bind (loopback only is wise)', '127.0.0.1')
    .option('--stripe-port <port>', 'port of the fake Stripe', integer, 12111)
    .option('--seed <n>', 'seed of the run (same seed, same ids and events)', integer, 42)
    .addOption(
      new Option('--clock <mode>', 'virtual time: manual (advance via admin API) or real')
        .choices(['manual', 'real'])
        .default('manual'),
    )
    .option('--stripe-key <key>', 'the test key printed for your service', 'sk_test_fakepsp')
    .option(
      '--stripe-webhook-url <url>',
      'register a webhook endpoint for all Stripe events and print its secret',
    )
    .option('--tls', 'serve HTTPS with a generated local CA (the Adyen SDK speaks only HTTPS)')
    .option('--tls-dir <dir>', 'where --tls writes its CA certificate', '.fakepsp/tls')
    .action(
      async (options: {
        host: string;
        stripePort: number;
        seed: number;
        clock: 'manual' | 'real';
        stripeKey: string;
        stripeWebhookUrl?: string;
        tls?: boolean;
        tlsDir: string;
      }) => {
        const { tls, tlsDir, ...rest } = options;
        const serveOptions = { ...rest, ...(tls === true ? { tlsDir } : {}) };
        const running = await serve(serveOptions);
        for (const line of readyLines(running, serveOptions)) console.log(line);
        const stop = () => {
          void running.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );
  return program;
}

await buildProgram().parseAsync(process.argv);
