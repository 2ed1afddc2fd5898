// Unit and component tests: fast, no browser. Component tests opt into jsdom per file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __BROWSER__: JSON.stringify('chrome') },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // Property suites take seconds on an idle machine and several times that under CI or a shared
    // machine's load; the default 5 s made them fail on time, not on a finding.
    testTimeout: 120_000,
  },
});
