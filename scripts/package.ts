// `npm run package`: the store packages, from a clean minified build.
//   artifacts/cors-lens-chrome-<version>.zip   → Chrome Web Store
//   artifacts/cors-lens-firefox-<version>.zip  → addons.mozilla.org (listed)
//   artifacts/cors-lens-source-<version>.zip   → the sources AMO asks for (bundled, minified code)
//   artifacts/package-report.json              → sizes, sha256, lint result (read by test/e2e/package.e2e.ts)
// One version, package.json's, in both manifests. Fails if a package exceeds 150 KB or if
// `web-ext lint` (listed mode: no --self-hosted) reports an error.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import JSZip from 'jszip';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'artifacts');
const BUILD = join(OUT, 'build');
/** The stores' practical budget for this extension (issue #16), in bytes. */
export const MAX_PACKAGE_BYTES = 150_000;
/** Fixed entry dates: the same sources give byte-identical packages. */
const ZIP_DATE = new Date(Date.UTC(2026, 0, 1));

const fail = (msg: string): never => {
  console.error(`npm run package: ${msg}`);
  process.exit(1);
};

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : [p];
    })
    .sort();
}

async function zip(root: string, paths: string[], to: string): Promise<number> {
  const z = new JSZip();
  for (const p of paths)
    z.file(relative(root, p).split(sep).join('/'), readFileSync(p), {
      date: ZIP_DATE,
      unixPermissions: 0o644,
      createFolders: false,
    });
  const buf = await z.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'UNIX',
  });
  writeFileSync(to, buf);
  return buf.length;
}

const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

const version: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const baseVersion: string = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).version;
if (baseVersion !== version)
  fail(
    `manifest.json says ${baseVersion}, package.json says ${version}: one version, please (package.json's is used).`,
  );
if (!/^\d+(\.\d+){0,3}$/.test(version))
  fail(`version ${version} is not a store version (1 to 4 dot-separated integers).`);
// Release notes: CHANGELOG.md has this version's section (its text goes to both stores).
const changelog = existsSync(join(ROOT, 'CHANGELOG.md')) ? readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8') : '';
if (!changelog.split('\n').some((l) => l.trim() === `## ${version}` || l.startsWith(`## ${version} `)))
  fail(`CHANGELOG.md has no "## ${version}" section: write this version's release notes first.`);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const report: Record<string, unknown> = {
  version,
  maxBytes: MAX_PACKAGE_BYTES,
  packages: {} as Record<string, unknown>,
};
const packages = report.packages as Record<string, unknown>;

for (const browser of ['chrome', 'firefox'] as const) {
  execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--mode', browser, '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, CORS_LENS_RELEASE: '1' },
  });
  const dir = join(BUILD, browser);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  if (manifest.version !== version) fail(`${browser} manifest has version ${manifest.version}, expected ${version}.`);
  const to = join(OUT, `cors-lens-${browser}-${version}.zip`);
  const bytes = await zip(dir, files(dir), to);
  packages[browser] = { file: relative(ROOT, to), bytes, sha256: sha256(to), files: files(dir).length };
  if (bytes > MAX_PACKAGE_BYTES)
    fail(`${relative(ROOT, to)} is ${bytes} bytes, over the ${MAX_PACKAGE_BYTES}-byte budget.`);
}

// The sources: every file git tracks or would track (so uncommitted work is included), nothing
// it ignores (node_modules, dist, artifacts). BUILDING.md at the root says how to rebuild.
const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\0')
  .filter(Boolean)
  .map((f) => join(ROOT, f))
  .filter((f) => existsSync(f) && statSync(f).isFile());
if (!listed.some((f) => relative(ROOT, f) === 'BUILDING.md')) fail('BUILDING.md is missing from the sources.');
const sourceTo = join(OUT, `cors-lens-source-${version}.zip`);
const sourceBytes = await zip(ROOT, [...new Set(listed)].sort(), sourceTo);
packages.source = {
  file: relative(ROOT, sourceTo),
  bytes: sourceBytes,
  sha256: sha256(sourceTo),
  files: new Set(listed).size,
};

// Mozilla's linter as addons.mozilla.org runs it for a listed add-on (no --self-hosted).
let out: string;
try {
  out = execFileSync(
    join(ROOT, 'node_modules/.bin/web-ext'),
    ['lint', '--source-dir', join(BUILD, 'firefox'), '--output', 'json', '--no-config-discovery'],
    { cwd: ROOT, encoding: 'utf8' },
  );
} catch (e) {
  out = (e as { stdout: string }).stdout;
}
const lint = JSON.parse(out.slice(out.indexOf('{')));
const brief = (m: { code: string; file?: string; message: string }) => ({
  code: m.code,
  file: m.file ?? null,
  message: m.message,
});
report.lint = { errors: lint.errors.map(brief), warnings: lint.warnings.map(brief), notices: lint.notices.map(brief) };
writeFileSync(join(OUT, 'package-report.json'), JSON.stringify(report, null, 2) + '\n');

for (const [name, p] of Object.entries(packages) as [string, { file: string; bytes: number }][]) {
  console.log(`${name.padEnd(8)} ${p.file}  ${(p.bytes / 1000).toFixed(1)} kB`);
}
console.log(
  `web-ext lint (listed): ${lint.errors.length} errors, ${lint.warnings.length} warnings, ${lint.notices.length} notices`,
);
for (const w of [...lint.errors, ...lint.warnings]) console.log(`  ${w._type} ${w.code} ${w.file ?? ''}: ${w.message}`);
if (lint.errors.length) fail('web-ext lint reported errors.');
