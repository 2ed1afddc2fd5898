// The store packages are built as docs/store.md and BUILDING.md claim: `npm run package` is run
// here (never stale artifacts), then every package is opened and checked — size budget, one
// version from package.json, the same files as the build, the sources AMO needs, and Mozilla's
// linter in listed mode with only the warnings docs/store.md explains.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/chromium';

const version: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const MAX = 150_000;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
const open = async (name: string) => JSZip.loadAsync(readFileSync(join(ROOT, 'artifacts', name)));
const names = (z: JSZip) =>
  Object.values(z.files)
    .filter((f) => !f.dir)
    .map((f) => f.name)
    .sort();

interface Report {
  version: string;
  packages: Record<string, { file: string; bytes: number; sha256: string }>;
  lint: { errors: { code: string }[]; warnings: { code: string; file: string | null }[]; notices: unknown[] };
}
let report: Report;

beforeAll(() => {
  execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/package.ts'], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 300_000,
  });
  report = JSON.parse(readFileSync(join(ROOT, 'artifacts/package-report.json'), 'utf8'));
}, 300_000);

describe('npm run package', () => {
  for (const browser of ['chrome', 'firefox'] as const) {
    it(`${browser}: ≤ 150 KB, package.json's version, exactly the files of the release build`, async () => {
      const file = `cors-lens-${browser}-${version}.zip`;
      const bytes = statSync(join(ROOT, 'artifacts', file)).size;
      expect(bytes).toBeLessThanOrEqual(MAX);
      expect(report.packages[browser]!.bytes).toBe(bytes);
      const z = await open(file);
      const manifest = JSON.parse(await z.file('manifest.json')!.async('string'));
      expect(manifest.version).toBe(version);
      expect(manifest.manifest_version).toBe(3);
      expect(manifest.permissions).toEqual(['webRequest', 'storage']);
      expect(manifest.host_permissions).toEqual(['<all_urls>']);
      if (browser === 'firefox')
        expect(manifest.browser_specific_settings.gecko.data_collection_permissions).toEqual({ required: ['none'] });
      const build = join(ROOT, 'artifacts/build', browser);
      expect(names(z)).toEqual(
        files(build)
          .map((f) => relative(build, f).split(sep).join('/'))
          .sort(),
      );
      // Every file the manifest and pages name is in the package.
      for (const ref of [
        manifest.devtools_page,
        manifest.options_ui.page,
        ...Object.values(manifest.icons as Record<string, string>),
      ]) {
        expect(z.file(ref), ref).not.toBeNull();
      }
    });
  }

  it('both manifests carry the same version, and manifest.json agrees with package.json', () => {
    expect(report.version).toBe(version);
    expect(JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).version).toBe(version);
  });

  it('source package: everything needed to rebuild, with BUILDING.md, and nothing built or installed', async () => {
    const z = await open(`cors-lens-source-${version}.zip`);
    const all = names(z);
    for (const f of [
      'BUILDING.md',
      'package.json',
      'package-lock.json',
      'manifest.json',
      'vite.config.ts',
      'tsconfig.json',
      'src/background/index.ts',
      'src/panel/panel.html',
      'scripts/package.ts',
    ]) {
      expect(all, f).toContain(f);
    }
    expect(all.filter((f) => /^(node_modules|dist|artifacts)\//.test(f))).toEqual([]);
    const building = await z.file('BUILDING.md')!.async('string');
    expect(building).toContain('npm ci');
    expect(building).toContain('npm run package');
  });

  it('web-ext lint in listed mode: 0 errors, and every warning is explained in docs/store.md', () => {
    expect(report.lint.errors).toEqual([]);
    const store = readFileSync(join(ROOT, 'docs/store.md'), 'utf8');
    const table = store.slice(store.indexOf('## `web-ext lint`'));
    const explained = new Set([...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect(report.lint.warnings.map((w) => w.code).filter((c) => !explained.has(c))).toEqual([]);
  });
});

describe('store screenshots', () => {
  it('docs/store.md names 1280×800 PNGs that exist', () => {
    const store = readFileSync(join(ROOT, 'docs/store.md'), 'utf8');
    const shots = [...store.matchAll(/`(docs\/store\/[\w-]+\.png)`/g)].map((m) => m[1]!);
    expect(shots.length).toBeGreaterThanOrEqual(3);
    for (const s of shots) {
      const buf = readFileSync(join(ROOT, s));
      expect(buf.subarray(1, 4).toString(), s).toBe('PNG');
      expect([buf.readUInt32BE(16), buf.readUInt32BE(20)], s).toEqual([1280, 800]);
    }
  });
});
