// @vitest-environment jsdom
// The whole panel against the real protocol messages: toolbar, list, filters, preserve log,
// pause, clear, keyboard, connection status, theme, per-origin view and its click-through.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS } from '../../src/shared/protocol';
import {
  API,
  PAGE,
  credentialsUnknown,
  headerNotAllowed,
  manyEntries,
  methodNotAllowed,
  missingAcao,
  mixedLog,
  notCors,
  passing,
  pending,
  trailingSlash,
  uncertainWildcard,
} from './fixtures';
import { fakeEnv, frame, renderPanel, rowIds, rows } from './harness';

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
});

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const key = (k: string, init: KeyboardEventInit = {}, target: Element | Document = document.body) =>
  fireEvent.keyDown(target, { key: k, ...init });

describe('the request list', () => {
  it('lists an uncertain verdict under Blocked, amber, marked "?", counted with a "?" — never as Allowed', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const u = uncertainWildcard();
    h.snapshot([missingAcao(), passing(), u]);
    await frame();
    const row = rows().find((r) => r.dataset.id === u.id)!;
    expect(row).toBeTruthy();
    expect(row.className).toContain('o-uncertain');
    expect(row.querySelector('.mk-uncertain')).not.toBeNull();
    const symptom = row.querySelector('td.symptom')!.textContent!;
    expect(symptom).toMatch(/^Blocked if credentialed: /);
    expect(symptom).not.toMatch(/Allowed/);
    expect(rowIds()).toHaveLength(2);
    expect(byTestId('blocked-count')!.textContent).toBe('2 blocked (1?)');
    expect(byTestId('statusbar')!.textContent).toContain('1 blocked if credentialed');
  });

  it('lists blocked requests with method, URL, status, symptom and markers; counts them', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const log = mixedLog();
    h.snapshot(log);
    await frame();
    const blocked = log.filter((e) => e.verdict.outcome === 'blocked');
    expect(rowIds()).toEqual(blocked.map((e) => e.id));
    const r = rows()[0]!;
    const cells = [...r.querySelectorAll('td')].map((td) => td.textContent);
    // cells: method, URL (exactly the URL: markers carry no text), status, symptom, time
    expect(cells.slice(0, 4)).toEqual(['GET', `${API}/api/items?page=2`, '200', 'Allow-Origin mismatch']);
    expect(r.dataset.symptom).toBe('AllowOriginMismatch');
    expect(r.querySelector('.u-origin')!.textContent).toBe(API);
    expect(r.querySelector('.u-path')!.textContent).toBe('/api/items?page=2');
    const put = rows().find((x) => x.dataset.symptom === 'MethodDisallowedByPreflightResponse')!;
    expect(put.querySelector('[aria-label="preflighted"]')).not.toBeNull();
    expect(put.querySelectorAll('td')[2]!.textContent).toBe('204'); // the preflight's status
    const cred = rows().find((x) => x.dataset.id === log[7]!.id)!;
    expect(cred.querySelector('[aria-label="uncertain"]')).not.toBeNull();
    expect(byTestId('blocked-count')!.textContent).toBe('6 blocked');
  });

  it('shows every cross-origin request in "All", with the cache marker and not-CORS labels', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const log = mixedLog();
    h.snapshot(log);
    await frame();
    fireEvent.click(byTestId('show-all')!);
    await frame();
    expect(rowIds()).toEqual(log.map((e) => e.id));
    const cached = rows().find((r) => r.dataset.id === log[5]!.id)!;
    expect(cached.querySelector('[aria-label="preflight from cache"]')).not.toBeNull();
    const nc = rows().find((r) => r.dataset.outcome === 'not-cors')!;
    expect(nc.querySelector('.symptom')!.textContent).toBe('Not CORS: net::ERR_CONNECTION_REFUSED');
    expect(nc.querySelectorAll('td')[2]!.textContent).toBe('(failed)');
    expect(
      rows()
        .find((r) => r.dataset.outcome === 'pending')!
        .querySelectorAll('td')[2]!.textContent,
    ).toBe('(pending)');
    expect(h.saved.get(SETTINGS.panelPrefs)).toMatchObject({ blockedOnly: false });
  });

  it('adds live entries in one render per frame and updates an entry in place', async () => {
    const h = fakeEnv();
    renderPanel(h);
    h.snapshot([]);
    await frame();
    const p = pending();
    fireEvent.click(byTestId('show-all')!);
    for (let i = 0; i < 20; i++) h.live([passing({ url: `${API}/api/n${i}` })]);
    h.live([p]);
    // Nothing is drawn synchronously per message …
    expect(rows()).toHaveLength(0);
    await frame();
    // … but everything is there after the frame.
    expect(rows()).toHaveLength(21);
    h.live([missingAcao({ id: p.id, start: p.exchange.startTime })]);
    await frame();
    expect(rows()[20]!.dataset.symptom).toBe('MissingAllowOriginHeader');
    expect(rows()).toHaveLength(21);
  });

  it('filters by text and clears the filter with Esc', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const t = trailingSlash();
    const m = methodNotAllowed();
    const hd = headerNotAllowed();
    h.snapshot([t, m, hd]);
    await frame();
    const input = byTestId('filter') as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'x-api-key' } });
    await waitFor(() => expect(rowIds()).toEqual([hd.id]));
    fireEvent.input(input, { target: { value: 'CORSMethodNotFound' } });
    await waitFor(() => expect(rowIds()).toEqual([m.id]));
    fireEvent.input(input, { target: { value: 'no such thing' } });
    await waitFor(() => expect(byTestId('empty')!.dataset.reason).toBe('filter'));
    key('Escape', {}, input);
    await frame();
    expect(input.value).toBe('');
    expect(rowIds()).toEqual([t.id, m.id, hd.id]);
  });

  it('hides entries from before a navigation unless "Preserve log" is on', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const old = trailingSlash({ nav: 0 });
    h.snapshot([old]);
    await frame();
    expect(rowIds()).toEqual([old.id]);
    h.push({ type: 'navigated', navigation: { url: `${PAGE}/next`, timeStamp: 9 }, nav: 1 });
    await frame();
    expect(rowIds()).toEqual([]);
    expect(byTestId('empty')!.textContent).toContain('1 request from earlier page loads is hidden');
    const fresh = methodNotAllowed({ nav: 1 });
    h.live([fresh]);
    await frame();
    expect(rowIds()).toEqual([fresh.id]);
    expect(byTestId('blocked-count')!.textContent).toBe('1 blocked');
    fireEvent.click(byTestId('preserve-log')!);
    await frame();
    expect(rowIds()).toEqual([old.id, fresh.id]);
    expect(byTestId('blocked-count')!.textContent).toBe('2 blocked');
    expect(h.saved.get(SETTINGS.panelPrefs)).toMatchObject({ preserveLog: true });
  });

  it('restores saved preferences', async () => {
    const h = fakeEnv(
      {},
      { [SETTINGS.panelPrefs]: { blockedOnly: false, preserveLog: true, split: 0.3, view: 'requests' } },
    );
    renderPanel(h);
    h.snapshot(mixedLog());
    await frame();
    expect(rows()).toHaveLength(10);
    expect((byTestId('preserve-log') as HTMLInputElement).checked).toBe(true);
    expect(byTestId('splitter')!.getAttribute('aria-valuenow')).toBe('30');
  });

  it('clears through the background and pauses recording', async () => {
    const h = fakeEnv();
    renderPanel(h);
    h.snapshot([trailingSlash()]);
    await frame();
    fireEvent.click(byTestId('clear')!);
    expect(h.sent).toContainEqual({ type: 'clear' });
    h.push({ type: 'cleared' });
    await frame();
    expect(rows()).toHaveLength(0);
    expect(byTestId('empty')!.textContent).toContain('No blocked requests yet — reload the page with DevTools open');

    fireEvent.click(byTestId('record')!);
    await frame();
    expect(byTestId('record')!.getAttribute('aria-pressed')).toBe('false');
    h.live([missingAcao({ start: Date.now() + 5 })]);
    await frame();
    expect(rows()).toHaveLength(0);
    fireEvent.click(byTestId('record')!);
    const after = missingAcao({ start: Date.now() + 60_000 });
    h.live([after]);
    await frame();
    expect(rowIds()).toEqual([after.id]);
  });

  it('teaches in the empty states and reloads the page from there', async () => {
    const h = fakeEnv();
    renderPanel(h);
    expect(byTestId('empty')!.dataset.reason).toBe('connecting');
    h.snapshot([]);
    await frame();
    const empty = byTestId('empty')!;
    expect(empty.textContent).toContain('No blocked requests yet — reload the page with DevTools open.');
    expect(empty.textContent).toMatch(/installed.*after this page loaded/i);
    fireEvent.click(byTestId('reload-page')!);
    expect(h.env.reload).toHaveBeenCalled();
    h.live([passing()]);
    await frame();
    expect(byTestId('empty')!.dataset.reason).toBe('none-blocked');
    fireEvent.click(byTestId('empty-show-all')!);
    await frame();
    expect(rows()).toHaveLength(1);
  });

  it('says that only tabs with DevTools open are recorded, and links to recording every tab', async () => {
    const h = fakeEnv();
    renderPanel(h);
    h.push({ type: 'snapshot', tabId: 7, entries: [], navigations: [], origins: [], evicted: 0, scope: 'inspected' });
    await frame();
    expect(byTestId('scope-note')!.textContent).toMatch(/records a tab while its DevTools is open.*not in this log/);
    fireEvent.click(byTestId('open-options')!);
    expect(h.env.openOptions).toHaveBeenCalled();
    // Recording every tab: no such note.
    h.push({ type: 'snapshot', tabId: 7, entries: [], navigations: [], origins: [], evicted: 0, scope: 'all' });
    await frame();
    expect(byTestId('scope-note')).toBeNull();
  });

  it('says when the background connection drops and recovers with a fresh snapshot', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const a = trailingSlash();
    h.snapshot([a]);
    await frame();
    h.setConnected(false);
    await frame();
    expect(byTestId('connection-lost')).not.toBeNull();
    h.setConnected(true);
    h.snapshot([a, missingAcao()]);
    await frame();
    expect(byTestId('connection-lost')).toBeNull();
    expect(rows()).toHaveLength(2);
  });
});

describe('keyboard', () => {
  it('moves with ↑/↓, opens with Enter, focuses the filter with Ctrl/Cmd+F, clears with Esc', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const log = [trailingSlash(), methodNotAllowed(), headerNotAllowed()];
    h.snapshot(log);
    await frame();
    key('ArrowDown');
    await frame();
    expect(byTestId('detail')!.dataset.id).toBe(log[0]!.id);
    expect(rows()[0]!.getAttribute('aria-selected')).toBe('true');
    key('ArrowDown');
    key('ArrowDown');
    key('ArrowDown'); // stays on the last row
    await frame();
    expect(byTestId('detail')!.dataset.id).toBe(log[2]!.id);
    key('ArrowUp');
    await frame();
    expect(byTestId('detail')!.dataset.id).toBe(log[1]!.id);
    key('Enter');
    await frame();
    expect(document.activeElement).toBe(byTestId('detail'));
    key('f', { ctrlKey: true });
    expect(document.activeElement).toBe(byTestId('filter'));
    key('f', { metaKey: true }, byTestId('detail')!);
    expect(document.activeElement).toBe(byTestId('filter'));
    fireEvent.input(byTestId('filter')!, { target: { value: 'x-api-key' } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    key('Escape', {}, byTestId('filter')!);
    await frame();
    expect(rows()).toHaveLength(3);
    // Esc outside the filter: clears the selection when there is no filter left.
    key('Escape');
    await frame();
    expect(byTestId('detail')).toBeNull();
    expect(byTestId('detail-empty')).not.toBeNull();
  });

  it('counts every press of a key repeat, even between renders', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const log = [trailingSlash(), methodNotAllowed(), headerNotAllowed(), missingAcao()];
    h.snapshot(log);
    await frame();
    // Three presses dispatched back to back: no render happens in between.
    for (let i = 0; i < 3; i++)
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    await frame();
    expect(byTestId('detail')!.dataset.id).toBe(log[2]!.id);
  });

  it('leaves arrow keys alone while typing in the filter', async () => {
    const h = fakeEnv();
    renderPanel(h);
    h.snapshot([trailingSlash(), methodNotAllowed()]);
    await frame();
    key('ArrowDown', {}, byTestId('filter')!);
    await frame();
    expect(byTestId('detail')).toBeNull();
  });
});

describe('per-origin view', () => {
  it('groups by target and page origin with live pass/blocked counts, and clicks through to the list', async () => {
    const h = fakeEnv();
    renderPanel(h);
    const other = 'http://127.0.0.1:5173';
    h.snapshot([trailingSlash(), passing(), methodNotAllowed(), passing({ pageOrigin: other }), notCors()]);
    await frame();
    fireEvent.click(byTestId('view-origins')!);
    await frame();
    const groups = [...document.querySelectorAll<HTMLElement>('[data-testid="origin-group"]')];
    expect(groups.map((g) => g.dataset.target)).toEqual([API, 'http://localhost:9999']);
    expect(groups[0]!.dataset).toMatchObject({ pass: '2', blocked: '2' });
    const pages = [...document.querySelectorAll<HTMLElement>(`[data-testid="origin-page"][data-target="${API}"]`)];
    expect(pages.map((p) => [p.dataset.page, p.dataset.pass, p.dataset.blocked])).toEqual([
      [other, '1', '0'],
      [PAGE, '1', '2'],
    ]);
    // live update
    h.live([missingAcao(), credentialsUnknown()]);
    await frame();
    expect(
      document.querySelector<HTMLElement>(`[data-testid="origin-group"][data-target="${API}"]`)!.dataset.blocked,
    ).toBe('4');
    expect(byTestId('origins-summary')!.textContent).toContain('4 blocked');
    // click-through: the page row → list of all requests from that page to that target
    fireEvent.click(pages[1]!);
    await frame();
    expect(byTestId('origin-chip')!.textContent).toContain(API);
    expect(byTestId('view-requests')!.getAttribute('aria-selected')).toBe('true');
    expect(rows().map((r) => r.querySelector('.u-origin')!.textContent)).toEqual(Array(5).fill(API));
    expect(
      rows()
        .map((r) => r.dataset.outcome)
        .sort(),
    ).toEqual(['blocked', 'blocked', 'blocked', 'blocked', 'pass']);
    // remove the chip
    fireEvent.click(document.querySelector('.chip-x')!);
    await frame();
    expect(rows()).toHaveLength(7);
  });

  it('moves through origins with the keyboard and opens one with Enter', async () => {
    const h = fakeEnv();
    renderPanel(h);
    h.snapshot([trailingSlash(), notCors()]);
    await frame();
    fireEvent.click(byTestId('view-origins')!);
    await frame();
    key('ArrowDown'); // API group → its page row
    key('ArrowDown'); // → localhost:9999 group
    await frame();
    expect(document.querySelector<HTMLElement>('.orow.active')!.dataset.target).toBe('http://localhost:9999');
    key('Enter');
    await frame();
    expect(byTestId('origin-chip')!.textContent).toContain('http://localhost:9999');
    expect(rows().map((r) => r.dataset.outcome)).toEqual(['not-cors']);
  });
});

describe('fit and finish', () => {
  it('follows the DevTools theme, live', async () => {
    const h = fakeEnv({ theme: () => 'dark' });
    renderPanel(h);
    await frame();
    expect(document.documentElement.dataset.theme).toBe('dark');
    h.setTheme('light');
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('leaves the theme to prefers-color-scheme when popped out, and offers no pop-out there', async () => {
    const h = fakeEnv({ theme: () => null, inDevtools: false, popOut: null });
    renderPanel(h);
    await frame();
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(byTestId('pop-out')).toBeNull();
  });

  it('pops out for the inspected tab, through the background when the frame cannot', async () => {
    const h = fakeEnv();
    renderPanel(h);
    fireEvent.click(byTestId('pop-out')!);
    expect(h.env.popOut).toHaveBeenCalledWith(7);
    await frame();
    expect(h.sent).not.toContainEqual({ type: 'popOut', tabId: 7 });
    cleanup();
    const ff = fakeEnv({ popOut: vi.fn(async () => false) });
    renderPanel(ff);
    fireEvent.click(byTestId('pop-out')!);
    await frame();
    expect(ff.sent).toContainEqual({ type: 'popOut', tabId: 7 });
  });

  it('renders only the rows in view for a log of 100,000 entries', async () => {
    const h = fakeEnv({}, { [SETTINGS.logCap]: 200_000 });
    renderPanel(h);
    await frame();
    h.snapshot(manyEntries(100_000));
    await frame();
    const n = rows().length;
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThan(120);
    expect(byTestId('blocked-count')!.textContent).toBe('75000 blocked');
    // the spacer rows stand in for the rest
    const pads = [...document.querySelectorAll<HTMLElement>('tr.pad')].map((p) => parseFloat(p.style.height));
    expect(pads.reduce((a, b) => a + b, 0) + n * 22).toBeCloseTo(75_000 * 22, -2);
  }, 30_000);

  it('keeps at most the configured cap of entries', async () => {
    const h = fakeEnv({}, { [SETTINGS.logCap]: 10 });
    renderPanel(h);
    await frame();
    h.snapshot([]);
    h.live(manyEntries(30));
    await frame();
    fireEvent.click(byTestId('show-all')!);
    await frame();
    expect(rows()).toHaveLength(10);
    expect(byTestId('statusbar')!.textContent).toContain('20 older evicted');
  });
});
