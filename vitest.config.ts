import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // The accuracy sweeps run 10^6 points per function and backend.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
