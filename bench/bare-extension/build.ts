// Bundles the bare extension into bench-results/tmp/bare-extension (esbuild, as tsx uses).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export async function buildBareExtension(root: string): Promise<string> {
  const out = join(root, 'bench-results/tmp/bare-extension');
  mkdirSync(out, { recursive: true });
  const here = resolve(root, 'bench/bare-extension');
  await build({
    entryPoints: [join(here, 'background.ts')],
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    outfile: join(out, 'background.js'),
    define: { __BROWSER__: '"chrome"' },
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'manifest.json'), join(out, 'manifest.json'));
  return out;
}
