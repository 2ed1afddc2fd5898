// The built extensions: what each browser gets, and Mozilla's linter on the Firefox build.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { ROOT } from '../support/chromium';

const manifest = (b: string) => JSON.parse(readFileSync(join(ROOT, 'dist', b, 'manifest.json'), 'utf8'));

/** Calls that evaluate code or open a network channel, found in the parsed script. */
function networkAndEvalCalls(code: string): string[] {
  const found: string[] = [];
  const NETWORK_CTORS = new Set([
    'XMLHttpRequest',
    'WebSocket',
    'EventSource',
    'WebTransport',
    'RTCPeerConnection',
    'Function',
  ]);
  const CALLS = new Set(['fetch', 'eval', 'importScripts']);
  const name = (n: any): string | null =>
    n.type === 'Identifier' ? n.name : n.type === 'MemberExpression' && !n.computed ? n.property.name : null;
  simple(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }), {
    CallExpression(n: any) {
      const c = name(n.callee);
      // A method named eval on another object is reported with its receiver, so the one allowed
      // use (devtools.inspectedWindow.eval, which runs the Probe in the inspected page) is named.
      const receiver =
        n.callee.type === 'MemberExpression' && n.callee.object.type === 'Identifier' ? n.callee.object.name : null;
      if (c === 'eval' && receiver && !['window', 'globalThis', 'self'].includes(receiver))
        found.push(`${receiver}.eval()`);
      else if (c && (CALLS.has(c) || c === 'sendBeacon')) found.push(`${c}()`);
    },
    NewExpression(n: any) {
      const c = name(n.callee);
      if (c && NETWORK_CTORS.has(c)) found.push(`new ${c}`);
    },
    ImportExpression(n: any) {
      if (n.source.type !== 'Literal' || /^(https?:)?\/\//.test(String(n.source.value)))
        found.push('import(remote or computed)');
    },
  });
  return found;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/**
 * Extension pages may run only the extension's own scripts: no inline script, no eval, no
 * remote origin, no plugins, no <base> rewriting. (The panel shows header values a hostile
 * server chose; this policy is the second line behind rendering them as text.)
 */
function expectStrictCsp(csp: string | undefined): void {
  expect(csp, 'an explicit extension_pages CSP').toBeTruthy();
  const directives = new Map(
    csp!
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1)] as const),
  );
  expect(directives.get('script-src')).toEqual(["'self'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  expect(csp).not.toMatch(/unsafe-|wasm-unsafe|https?:|\*|data:|blob:/);
}

describe('built manifests', () => {
  it('Chrome: MV3 service worker, devtools page, exact permissions, strict CSP', () => {
    const m = manifest('chrome');
    expect(m.manifest_version).toBe(3);
    expect(m.background).toEqual({ service_worker: expect.any(String), type: 'module' });
    expect(m.devtools_page).toBe('src/devtools/devtools.html');
    expect(m.permissions).toEqual(['webRequest', 'storage']);
    expect(m.host_permissions).toEqual(['<all_urls>']);
    expectStrictCsp(m.content_security_policy?.extension_pages);
    // Nothing a web page or another extension can reach.
    expect(m.externally_connectable).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
    expect(m.sandbox).toBeUndefined();
    expect(m.content_scripts).toBeUndefined();
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
    expectStrictCsp(m.content_security_policy?.extension_pages);
    expect(m.content_scripts).toBeUndefined();
    // The one web-accessible file: the panel page as the pop-out/test view, for local pages only.
    expect(m.web_accessible_resources).toEqual([
      { resources: ['src/panel/panel.html'], matches: ['http://127.0.0.1/*'] },
    ]);
  });

  for (const browser of ['chrome', 'firefox']) {
    it(`${browser}: no remote code — every script is a packaged file, none evals or opens a network channel`, () => {
      // The checker itself finds what it looks for.
      expect(
        networkAndEvalCalls(
          'fetch("x"); new WebSocket("y"); eval("1"); window.eval("2"); iw.eval("3"); navigator.sendBeacon("z"); import("https://e.test/m.js")',
        ),
      ).toEqual([
        'fetch()',
        'new WebSocket',
        'eval()',
        'eval()',
        'iw.eval()',
        'sendBeacon()',
        'import(remote or computed)',
      ]);
      const dir = join(ROOT, 'dist', browser);
      const all = files(dir);
      for (const html of all.filter((f) => f.endsWith('.html'))) {
        const text = readFileSync(html, 'utf8');
        // Scripts and styles come from the package (root-relative), never inline or remote.
        for (const m of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
          expect(m[1], `${html}: script without src`).toMatch(/\ssrc="\/[^"]+"/);
          expect(m[2]!.trim(), `${html}: inline script`).toBe('');
        }
        expect(text, html).not.toMatch(/(src|href)="(https?:)?\/\//);
        expect(text, html).not.toMatch(/\son\w+=/);
      }
      const js = all.filter((f) => f.endsWith('.js'));
      expect(js.length).toBeGreaterThan(0);
      for (const f of js) {
        // Parsed, not grepped: the bundles quote "fetch()" in their texts.
        const found = networkAndEvalCalls(readFileSync(f, 'utf8'));
        // fetch() only in Vite's modulepreload polyfill (it preloads the package's own modules).
        let allowed = /modulepreload-polyfill/.test(f) ? found.filter((x) => x !== 'fetch()') : found;
        // devtools.inspectedWindow.eval (src/panel/probe/actions.ts: `iw`), once, in the panel only:
        // it sends the Probe/Retry request from the inspected page, never runs code in the extension.
        if (/\/panel-[^/]*\.js$/.test(f)) {
          expect(
            found.filter((x) => x === 'iw.eval()'),
            f,
          ).toHaveLength(1);
          allowed = allowed.filter((x) => x !== 'iw.eval()');
        }
        // And once in the DevTools page (src/devtools/pageview.ts): the opt-in page view takes the
        // wrapper's buffered reports from the inspected page; what comes back is parsed as data.
        if (/\/devtools\.html-[^/]*\.js$/.test(f)) {
          expect(
            found.filter((x) => x === 'iw.eval()'),
            f,
          ).toHaveLength(1);
          allowed = allowed.filter((x) => x !== 'iw.eval()');
        }
        expect(allowed, f).toEqual([]);
      }
    });
  }

  it('web-ext lint (listed mode): 0 errors on dist/firefox', () => {
    let out: string;
    try {
      out = execFileSync(
        join(ROOT, 'node_modules/.bin/web-ext'),
        ['lint', '--source-dir', join(ROOT, 'dist/firefox'), '--output', 'json', '--no-config-discovery'],
        { encoding: 'utf8' },
      );
    } catch (e) {
      out = (e as { stdout: string }).stdout;
    }
    const report = JSON.parse(out.slice(out.indexOf('{')));
    expect(report.errors).toEqual([]);
  });
});
