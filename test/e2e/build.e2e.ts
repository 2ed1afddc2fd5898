// The built extensions: what each browser gets, and Mozilla's linter on the Firefox build.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/chromium';

const manifest = (b: string) => JSON.parse(readFileSync(join(ROOT, 'dist', b, 'manifest.json'), 'utf8'));

describe('built manifests', () => {
  it('Chrome: MV3 service worker, devtools page, exact permissions, strict CSP', () => {
    const m = manifest('chrome');
    expect(m.manifest_version).toBe(3);
    expect(m.background).toEqual({ service_worker: expect.any(String), type: 'module' });
    expect(m.devtools_page).toBe('src/devtools/devtools.html');
    expect(m.permissions).toEqual(['webRequest', 'storage']);
    expect(m.host_permissions).toEqual(['<all_urls>']);
    expect(m.content_security_policy.extension_pages).toMatch(/script-src 'self';/);
    expect(m.content_security_policy.extension_pages).not.toMatch(/unsafe|https?:/);
  });

  it('Firefox: MV3 background scripts, gecko settings, same permissions', () => {
    const m = manifest('firefox');
    expect(m.background.scripts).toHaveLength(1);
    expect(m.background.service_worker).toBeUndefined();
    expect(m.browser_specific_settings.gecko).toMatchObject({
      id: expect.stringContaining('@'),
      strict_min_version: expect.any(String),
      data_collection_permissions: { required: ['none'] },
    });
    expect(m.permissions).toEqual(['webRequest', 'storage']);
    expect(m.host_permissions).toEqual(['<all_urls>']);
  });

  it('web-ext lint: 0 errors on dist/firefox', () => {
    let out: string;
    try {
      out = execFileSync(join(ROOT, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', join(ROOT, 'dist/firefox'), '--output', 'json', '--self-hosted', '--no-config-discovery'], { encoding: 'utf8' });
    } catch (e) {
      out = (e as { stdout: string }).stdout;
    }
    const report = JSON.parse(out.slice(out.indexOf('{')));
    expect(report.errors).toEqual([]);
  });
});
