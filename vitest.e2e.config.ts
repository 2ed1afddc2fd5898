// Real-browser tests: Debian Chromium and Firefox ESR against real local servers. Files run one
// at a time (each launches its own browser; two cores do not fit more without flaky timings).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A real browser on a loaded 2-core machine sometimes misses a start-up step (one CI run lost
    // DevTools' showPanel). One retry, reported by name in the output; a test that fails twice
    // fails the run.
    retry: 1,
    pool: 'forks',
    reporters: ['default'],
  },
});
