// Unit and component tests: fast, no browser. Component tests opt into jsdom per file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __BROWSER__: JSON.stringify('chrome') },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    // Property, fuzz and subprocess tests take seconds on a loaded 2-core machine; what they test
    // is not their speed (npm run bench measures speed).
    testTimeout: 30_000,
  },
});
