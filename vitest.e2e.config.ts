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
    pool: 'forks',
    reporters: ['default'],
  },
});
