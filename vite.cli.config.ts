// The command line: src/cli/cors-lens.ts → dist/cli/cors-lens.mjs, one ESM file for Node ≥ 20 that
// imports only node: built-ins (everything from src/core is bundled in). `npm run build` runs it.
import { defineConfig } from 'vite';
import { chmodSync } from 'node:fs';
import { resolve } from 'node:path';

export default defineConfig({
  publicDir: false,
  plugins: [
    {
      name: 'cors-lens-executable',
      writeBundle(options, bundle) {
        for (const file of Object.keys(bundle))
          if (file.endsWith('.mjs')) chmodSync(resolve(options.dir!, file), 0o755);
      },
    },
  ],
  build: {
    ssr: resolve(import.meta.dirname, 'src/cli/cors-lens.ts'),
    outDir: resolve(import.meta.dirname, 'dist/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: {
      output: { format: 'es', entryFileNames: 'cors-lens.mjs', banner: '#!/usr/bin/env node' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
  define: { __BROWSER__: JSON.stringify('chrome') },
});
