import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Conformance suites start servers on loopback; keep workers within the 2-core machines.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
