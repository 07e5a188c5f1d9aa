import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The suites that drive the official SDKs run once per transport: a loopback node:http server,
// msw interception and nock interception must give the same results.
const overTransports = ['tests/conformance/**/*.test.ts', 'tests/faults/**/*.test.ts'];
const transports = ['http', 'msw', 'nock'] as const;

export default defineConfig({
  // Scenarios import the package by its own name: under test that is the source, as with
  // `node --conditions=fakepsp-source` in the npm scripts.
  resolve: {
    alias: [
      { find: /^fakepsp$/, replacement: join(import.meta.dirname, 'src', 'index.ts') },
      {
        find: /^fakepsp\/(sut|reference|adyen|sim)$/,
        replacement: join(import.meta.dirname, 'src', 'entries', '$1.ts'),
      },
    ],
  },
  test: {
    // Conformance suites start servers on loopback; keep workers within the 2-core machines.
    maxWorkers: 2,
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: overTransports },
      },
      ...transports.map((transport) => ({
        extends: true,
        test: { name: transport, include: overTransports, env: { FAKEPSP_TRANSPORT: transport } },
      })),
    ],
  },
});
