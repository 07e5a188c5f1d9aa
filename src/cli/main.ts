#!/usr/bin/env node
// `fakepsp`: the command line. Everything but the exit code lives in program.ts, so tests can run it in-process.
import { relaunchServeWithNodeFlags } from './node-flags.ts';

// Before the program loads: `serve` may replace this process with one that has its V8 flags.
relaunchServeWithNodeFlags();
const { runCli } = await import('./program.ts');

// Node warns about a CommonJS scenario file in words that do not say what to do; the loader does.
process.removeAllListeners('warning').on('warning', (warning) => {
  if (!warning.message.startsWith('Failed to load the ES module'))
    console.error(`(node) ${warning.name}: ${warning.message}`);
});

process.exitCode = await runCli(process.argv);
