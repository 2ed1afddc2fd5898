// Two builds from one source: `vite build --mode chrome` → dist/chrome (MV3 service worker),
// `vite build --mode firefox` → dist/firefox (MV3 event page via background.scripts).
import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { resolve } from 'node:path';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };

export const GECKO_ID = 'cors-lens@cors-lens.dev';

function manifestFor(browser: 'chrome' | 'firefox'): ManifestV3Export {
  const m: Record<string, unknown> = structuredClone(baseManifest);
  m.version = pkg.version;
  if (browser === 'firefox') {
    m.background = { scripts: ['src/background/index.ts'], type: 'module' };
    m.browser_specific_settings = {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
    };
    // The panel page doubles as the pop-out view; Firefox tests reach it from a web page.
    m.web_accessible_resources = [{ resources: ['src/panel/panel.html'], matches: ['http://127.0.0.1/*'] }];
  }
  return m as unknown as ManifestV3Export;
}

// `npm run package` builds the store packages minified into artifacts/build/<browser> (set by
// scripts/package.ts); `npm run build` keeps dist/ readable for development and the e2e suites.
const release = process.env.CORS_LENS_RELEASE === '1';

export default defineConfig(({ mode }) => {
  const browser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [crx({ manifest: manifestFor(browser), browser })],
    build: {
      outDir: resolve(import.meta.dirname, release ? 'artifacts/build' : 'dist', browser),
      emptyOutDir: true,
      target: browser === 'firefox' ? 'firefox128' : 'chrome120',
      minify: release,
      sourcemap: false,
      rollupOptions: {
        // crxjs does not discover pages passed to devtools.panels.create: list the panel here.
        input: { panel: resolve(import.meta.dirname, 'src/panel/panel.html') },
      },
    },
    define: { __BROWSER__: JSON.stringify(browser) },
  };
});
