// Exports of what Firefox's background recorded: Firefox reports the same failures with different
// event orders and header casing, so its LogEntries go through every format too — valid against
// the report and HAR schemas, no planted secret in any text — and a JSON report re-opens in the
// Firefox panel page.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry, OriginStats } from '../../src/core/log';
import { exportReport, FORMATS, type ExportFormat, type ExportScope } from '../../src/core/report';
import { waitFor } from '../support/chromium';
import {
  firefoxScreenshot,
  launchFirefox,
  openPopoutPanel,
  setRecordScope,
  type FirefoxSession,
} from '../support/firefox';
import { startApi, startPages, type ApiServer, type RunningServer } from '../support/servers';
import { harValidator, reportValidator } from '../core/report/validators';

let api: ApiServer;
let pages: RunningServer;
let ff: FirefoxSession;
let dir: string;

beforeAll(async () => {
  api = await startApi();
  pages = await startPages();
  ff = await launchFirefox();
  // Requests are fired before the pop-out panel shows their tab: record every tab.
  await setRecordScope(ff, pages.origin, 'all');
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-ff-'));
});
afterAll(async () => {
  await ff?.close();
  await api?.close();
  await pages?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = {
  bearer: 'ffbearer_SECRET_1a2b',
  apiKey: 'ffkey_SECRET_3c4d',
  token: 'fftoken_SECRET_5e6f',
  referer: 'ffref_SECRET_7g8h',
};

describe('Firefox ESR: exports of the real background log', () => {
  it('every format is valid and redacted; the JSON re-opens in the panel page', async () => {
    api.route('/items/42', {
      preflight: {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', '{origin}'],
          ['Access-Control-Allow-Methods', 'GET'],
          ['Access-Control-Allow-Headers', 'content-type, authorization, x-api-key'],
        ],
      },
    });
    const page = (await ff.browser.pages())[0]!;
    await page.goto(`${pages.origin}/?auth=${SECRET.referer}`);
    const url = `${api.origin}/items/42?token=${SECRET.token}`;
    const result = await page.evaluate(
      (u: string, S: typeof SECRET) =>
        fetch(u, {
          method: 'PUT',
          referrerPolicy: 'unsafe-url',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${S.bearer}`, 'X-Api-Key': S.apiKey },
          body: '{}',
        }).then(
          () => 'ok',
          () => 'failed',
        ),
      url,
      SECRET,
    );
    expect(result).toBe('failed');

    const panel: Page = await openPopoutPanel(ff, pages.origin, `${pages.origin}/?auth=${SECRET.referer}`);
    try {
      const log = await waitFor('the PUT in the Firefox background log', async () => {
        const l = await panel.evaluate(
          () =>
            new Promise<{ entries: LogEntry[]; origins: OriginStats[] }>((resolve) => {
              const b = (globalThis as any).browser;
              const tabId = Number(new URLSearchParams(location.search).get('tabId'));
              const port = b.runtime.connect({ name: 'cors-lens-panel' });
              port.onMessage.addListener((m: any) => {
                if (m.type !== 'snapshot') return;
                port.disconnect();
                resolve({ entries: m.entries, origins: m.origins });
              });
              port.postMessage({ type: 'subscribe', tabId });
            }),
        );
        return l.entries.some((e) => e.exchange.url === url && e.verdict.outcome === 'blocked') ? l : null;
      });
      const entry = log.entries.find((e) => e.exchange.url === url)!;
      expect(entry.exchange.browser).toBe('firefox');
      const raw = JSON.stringify(entry);
      for (const [name, value] of Object.entries(SECRET)) expect(raw.includes(value), `${name} recorded`).toBe(true);

      const validate = reportValidator();
      const validateHar = harValidator();
      let json = '';
      for (const format of Object.keys(FORMATS) as ExportFormat[]) {
        for (const scope of ['selected', 'blocked', 'origins'] as ExportScope[]) {
          const entries = scope === 'selected' ? [entry] : log.entries;
          const text = exportReport(
            format,
            { scope, entries, origins: log.origins },
            { env: { extensionVersion: '0.1.0', browser: 'firefox', browserVersion: '128' } },
          ).text;
          for (const [name, value] of Object.entries(SECRET))
            expect(text.includes(value), `${name} leaked in ${format}/${scope}`).toBe(false);
          if (format === 'json')
            expect(validate(JSON.parse(text)), JSON.stringify(validate.errors?.slice(0, 2))).toBe(true);
          if (format === 'har')
            expect(validateHar(JSON.parse(text)), JSON.stringify(validateHar.errors?.slice(0, 2))).toBe(true);
          if (format === 'json' && scope === 'selected') json = text;
        }
      }
      const parsed = JSON.parse(json);
      expect(parsed.entries[0].verdict.outcome).toBe('blocked');
      expect(parsed.entries[0].preflights[0].request.method).toBe('OPTIONS');

      // Re-open through the panel's own file input.
      const file = join(dir, 'firefox-report.json');
      writeFileSync(file, json);
      const input = (await panel.$('[data-testid="open-report-input"]')) as ElementHandle<HTMLInputElement> | null;
      await input!.uploadFile(file);
      const banner = await waitFor('imported banner', () =>
        panel.evaluate(() => document.querySelector('[data-testid="imported-banner"]')?.textContent ?? null),
      );
      expect(banner).toContain('Imported report firefox-report.json');
      const rows = await panel.evaluate(() =>
        [...document.querySelectorAll('[data-testid="row"]')].map((r) => r.textContent ?? ''),
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain('/items/42?token=REDACTED');
      await firefoxScreenshot(panel, 'export-firefox-reopened');
    } catch (e) {
      await firefoxScreenshot(panel, 'export-firefox-FAILED').catch(() => {});
      throw e;
    }
  });
});
