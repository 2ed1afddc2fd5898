import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { parseQuery } from '../../src/panel/filter';
import { RowDict, rowOf } from '../../src/core/row';
import { DEFAULT_VIEW, LogModel, type ViewOptions } from '../../src/panel/model';
import {
  API,
  HOSTILE_IMG,
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
} from './fixtures';

function snapshot(m: LogModel, entries: LogEntry[], navs = 1) {
  m.apply({
    type: 'snapshot',
    tabId: 7,
    entries,
    navigations: Array.from({ length: navs }, (_, i) => ({ url: `${PAGE}/${i}`, timeStamp: i })),
    origins: [],
    evicted: 0,
  });
}

const ids = (m: LogModel) => m.view.items.map((s) => s.row.id);
const all: ViewOptions = { ...DEFAULT_VIEW, blockedOnly: false, preserveLog: true };

describe('LogModel', () => {
  it('shows only blocked requests by default, in start order', () => {
    const m = new LogModel();
    const log = mixedLog();
    snapshot(m, log);
    expect(ids(m)).toEqual(log.filter((e) => e.verdict.outcome === 'blocked').map((e) => e.id));
    m.view.setOptions(all);
    expect(ids(m)).toEqual(log.map((e) => e.id));
    expect(m.all).toEqual({ blocked: 6, uncertain: 0, pass: 2, other: 1, pending: 1 });
  });

  it('moves an updated entry into the blocked list at its original place', () => {
    const m = new LogModel();
    const a = trailingSlash();
    const p = pending();
    const c = missingAcao();
    snapshot(m, [a, p, c]);
    expect(ids(m)).toEqual([a.id, c.id]);
    const failed = missingAcao({ id: p.id });
    m.apply({ type: 'entries', entries: [failed], origins: [] });
    expect(ids(m)).toEqual([a.id, p.id, c.id]);
    expect(m.get(p.id)).toBe(failed);
    expect(m.all.blocked).toBe(3);
    expect(m.all.pending).toBe(0);
    // and out again when it passes after all
    m.apply({ type: 'entries', entries: [passing({ id: p.id })], origins: [] });
    expect(ids(m)).toEqual([a.id, c.id]);
  });

  it('appends new entries live without duplicating on resync', () => {
    const m = new LogModel();
    m.view.setOptions(all);
    const log = mixedLog();
    snapshot(m, log.slice(0, 3));
    m.apply({ type: 'entries', entries: log.slice(3), origins: [] });
    expect(ids(m)).toEqual(log.map((e) => e.id));
    snapshot(m, log); // reconnect: the same entries again
    expect(ids(m)).toEqual(log.map((e) => e.id));
    expect(m.size).toBe(log.length);
  });

  it('hides entries from before the latest navigation unless the log is preserved', () => {
    const m = new LogModel();
    m.view.setOptions({ ...all, preserveLog: false });
    const old = trailingSlash({ nav: 0 });
    snapshot(m, [old]);
    expect(ids(m)).toEqual([old.id]);
    m.apply({ type: 'navigated', navigation: { url: `${PAGE}/next`, timeStamp: 5 }, nav: 1 });
    expect(ids(m)).toEqual([]);
    expect(m.hiddenByNavigation()).toBe(1);
    expect(m.scopeCounts().blocked).toBe(0);
    const fresh = methodNotAllowed({ nav: 1 });
    m.apply({ type: 'entries', entries: [fresh], origins: [] });
    expect(ids(m)).toEqual([fresh.id]);
    expect(m.scopeCounts().blocked).toBe(1);
    // Preserving the log brings the earlier page load's entries back: nothing was dropped.
    m.view.setOptions({ ...all, preserveLog: true });
    expect(ids(m)).toEqual([old.id, fresh.id]);
    expect(m.scopeCounts().blocked).toBe(2);
    expect(m.hiddenByNavigation()).toBe(0);
  });

  it('tells page loads apart by arrival when the background numbers the first navigation 0 too', () => {
    const m = new LogModel();
    m.view.setOptions({ ...all, preserveLog: false });
    const before = trailingSlash({ nav: 0 });
    snapshot(m, [before], 0); // no navigation recorded yet
    expect(ids(m)).toEqual([before.id]);
    m.apply({ type: 'navigated', navigation: { url: `${PAGE}/first`, timeStamp: 1 }, nav: 0 });
    expect(ids(m)).toEqual([]);
    const after = missingAcao({ nav: 0 });
    m.apply({ type: 'entries', entries: [after, trailingSlash({ id: before.id, nav: 0 })], origins: [] });
    expect(ids(m)).toEqual([after.id]); // the update of the earlier request stays with its page load
    expect(m.scopeCounts().blocked).toBe(1);
    expect(m.hiddenByNavigation()).toBe(1);
  });

  it('does not record requests started while paused, but keeps updating earlier ones', () => {
    const m = new LogModel();
    m.view.setOptions(all);
    const before = pending({ start: 1000 });
    snapshot(m, [before]);
    m.setRecording(false, 2000);
    m.apply({
      type: 'entries',
      entries: [passing({ start: 2500 }), missingAcao({ id: before.id, start: 1000 })],
      origins: [],
    });
    expect(ids(m)).toEqual([before.id]);
    expect(m.get(before.id)!.verdict.outcome).toBe('blocked');
    m.setRecording(true, 3000);
    const later = passing({ start: 3500 });
    const duringPause = trailingSlash({ start: 2600 });
    m.apply({ type: 'entries', entries: [later, duringPause], origins: [] });
    expect(ids(m)).toEqual([before.id, later.id]);
  });

  it("clears on the background's word", () => {
    const m = new LogModel();
    snapshot(m, mixedLog());
    m.apply({ type: 'cleared' });
    expect(m.size).toBe(0);
    expect(ids(m)).toEqual([]);
    expect(m.all.blocked).toBe(0);
  });

  it('evicts the oldest entries past the cap and counts them', () => {
    const m = new LogModel(false, 5);
    m.view.setOptions(all);
    snapshot(m, []);
    const log = manyEntries(8);
    m.apply({ type: 'entries', entries: log, origins: [] });
    expect(m.size).toBe(5);
    expect(m.evicted).toBe(3);
    expect(ids(m)).toEqual(log.slice(3).map((e) => e.id));
    expect(m.all.pass + m.all.blocked).toBe(5);
  });

  it('filters by text across URL, origins, header values and cause text; "-x" excludes', () => {
    const m = new LogModel();
    const t = trailingSlash();
    const me = methodNotAllowed();
    const h = headerNotAllowed();
    const p = passing();
    snapshot(m, [t, me, h, p]);
    const q = (text: string) => {
      m.view.setOptions({ ...all, text });
      return ids(m);
    };
    expect(q('items?page')).toEqual([t.id]); // URL
    expect(q('x-api-key')).toEqual([h.id]); // request header value on the preflight
    expect(q('"GET, POST"')).toEqual([me.id]); // response header value
    expect(q('access-control-allow-methods')).toEqual([me.id, h.id]); // header name
    expect(q('written differently')).toEqual([t.id]); // cause title
    expect(q('AllowOriginMismatch')).toEqual([t.id]); // Chromium CorsError name
    expect(q('CORSMethodNotFound')).toEqual([me.id]); // Firefox reason key
    expect(q('"Method not allowed"')).toEqual([me.id]); // short symptom
    expect(q('method not allowed')).toEqual([me.id, h.id]); // terms match anywhere, all required
    expect(q(`localhost:8000 -put`)).toEqual([t.id, h.id, p.id]);
    expect(q('"vary: origin" put')).toEqual([me.id]);
    expect(q('nothing-matches-this')).toEqual([]);
  });

  it('filters by the per-origin click-through', () => {
    const m = new LogModel();
    const a = trailingSlash();
    const b = notCors();
    const c = passing({ pageOrigin: 'http://127.0.0.1:5173' });
    snapshot(m, [a, b, c]);
    m.view.setOptions({ ...all, origin: { target: API } });
    expect(ids(m)).toEqual([a.id, c.id]);
    m.view.setOptions({ ...all, origin: { target: API, page: PAGE } });
    expect(ids(m)).toEqual([a.id]);
  });

  it('finds an entry in the filtered list by id', () => {
    const m = new LogModel();
    const log = mixedLog();
    snapshot(m, log);
    const blocked = log.filter((e) => e.verdict.outcome === 'blocked');
    expect(m.view.indexOf(blocked[2]!.id)).toBe(2);
    expect(m.view.indexOf(log[1]!.id)).toBe(-1); // a passing entry, filtered out
    expect(m.view.indexOf('nope')).toBe(-1);
  });

  it('builds a read-only model with per-origin counts from an opened report', () => {
    const log = [trailingSlash(), passing(), credentialsUnknown(), notCors(), hostileFree()];
    const m = LogModel.imported(log);
    expect(m.readonly).toBe(true);
    expect(m.size).toBe(5);
    const api = m.origins.find((o) => o.target === API && o.page === PAGE)!;
    expect(api).toMatchObject({ blocked: 2, pass: 2 });
    m.apply({ type: 'cleared' }); // ignored: an imported report never changes
    expect(m.size).toBe(5);
  });
});

function hostileFree(): LogEntry {
  return passing({ url: `${API}/api/other` });
}

describe('parseQuery', () => {
  it('splits terms, keeps quoted phrases and negations', () => {
    expect(parseQuery('  Foo  -bar "a b" -"c d" ')).toEqual([
      { text: 'foo', negate: false },
      { text: 'bar', negate: true },
      { text: 'a b', negate: false },
      { text: 'c d', negate: true },
    ]);
    expect(parseQuery('-')).toEqual([{ text: '-', negate: false }]);
    expect(parseQuery(HOSTILE_IMG)[0]!.text).toBe('<img');
  });
});

describe('LogModel fed rows (the live panel)', () => {
  it('lists, counts and filters rows as it does the entries they come from, without the entries', () => {
    const log = mixedLog();
    const fromEntries = new LogModel();
    snapshot(fromEntries, log);
    const fromRows = new LogModel();
    const dict = new RowDict(); // the port's dictionary of shared search texts
    fromRows.apply({
      type: 'snapshot',
      tabId: 7,
      entries: [],
      ...wire(dict.encode(log.slice(0, 4).map(rowOf))),
      navigations: [{ url: `${PAGE}/0`, timeStamp: 0 }],
      origins: [],
      evicted: 0,
    });
    fromRows.apply({ type: 'rows', ...wire(dict.encode(log.slice(4).map(rowOf))), origins: [] });
    for (const o of [all, DEFAULT_VIEW, { ...all, text: 'access-control' }, { ...all, text: '-get' }]) {
      fromEntries.view.setOptions(o);
      fromRows.view.setOptions(o);
      expect(ids(fromRows)).toEqual(ids(fromEntries));
    }
    expect(fromRows.all).toEqual(fromEntries.all);
    // Only rows: the full entries are asked for (src/panel/entry-source.ts).
    expect(fromRows.partial).toBe(log.length);
    expect(fromRows.get(log[0]!.id)).toBeUndefined();
    expect(fromRows.row(log[0]!.id)).toEqual(rowOf(log[0]!));
    expect(fromRows.entries()).toBeNull();
    expect(fromEntries.entries()).toEqual(log);
    // An entry that arrives in full replaces the row and is kept.
    fromRows.apply({ type: 'entries', entries: [log[0]!], origins: [] });
    expect(fromRows.get(log[0]!.id)).toBe(log[0]);
    expect(fromRows.partial).toBe(log.length - 1);
  });
});

/** As a runtime port delivers it (JSON). */
function wire<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
