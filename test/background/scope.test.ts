// The recorder registers webRequest listeners for exactly the tabs the scope wants, swaps them
// without a gap, and never delivers one event twice.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registrations } from '../../src/background/listen';
import { DEDUPE_MS, Recorder, scopeFrom } from '../../src/background/scope';
import type { EventKind } from '../../src/core/types';

type Cb = (d: object) => undefined;
interface Reg {
  cb: Cb;
  filter: { urls: string[]; tabId?: number };
  spec?: string[];
}

/** A webRequest with the browser's matching rule for the tabId filter. */
function fakeWebRequest() {
  const events: Record<string, Reg[]> = {};
  const api: Record<string, unknown> = {};
  for (const name of ['onSendHeaders', 'onHeadersReceived', 'onCompleted', 'onErrorOccurred']) {
    const regs: Reg[] = (events[name] = []);
    api[name] = {
      addListener(cb: Cb, filter: Reg['filter'], spec?: string[]) {
        regs.push({ cb, filter, spec });
      },
      removeListener(cb: Cb) {
        const i = regs.findIndex((r) => r.cb === cb);
        if (i >= 0) regs.splice(i, 1);
      },
    };
  }
  return {
    webRequest: api as unknown as typeof chrome.webRequest,
    events,
    count: () => Object.values(events).reduce((n, r) => n + r.length, 0),
    /** Delivers an event the way the browser does: once to every listener whose filter matches. */
    emit(event: string, details: { tabId: number; requestId: string; timeStamp: number; url: string }) {
      for (const r of [...events[event]!])
        if (r.filter.tabId === undefined || r.filter.tabId === details.tabId) r.cb(details);
    },
    filters: () => events.onSendHeaders!.map((r) => r.filter.tabId ?? 'all'),
  };
}

function setup() {
  const wr = fakeWebRequest();
  const got: Array<[EventKind, Record<string, unknown>]> = [];
  const rec = new Recorder(wr.webRequest, 'chrome', (k, d) => got.push([k, d]));
  return { wr, got, rec };
}

const ev = (tabId: number, n = 1) => ({
  tabId,
  requestId: String(n),
  timeStamp: 1000 + n,
  url: `http://127.0.0.1:8000/${n}`,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Recorder', () => {
  it('listens to every tab until the scope is known (the event that woke the worker is delivered)', () => {
    const { wr, got, rec } = setup();
    expect(rec.listening).toBe('all');
    expect(wr.count()).toBe(registrations('chrome').length);
    // Same events and extraInfoSpec as the registrations table.
    expect(wr.events.onSendHeaders![0]!.spec).toEqual(['requestHeaders', 'extraHeaders']);
    wr.emit('onSendHeaders', ev(7));
    expect(got).toHaveLength(1);
  });

  it('with the "inspected" scope and no DevTools open, registers no listener at all', () => {
    const { wr, got, rec } = setup();
    rec.setScope('inspected');
    expect(wr.count()).toBe(0);
    expect(rec.listening).toEqual([]);
    wr.emit('onSendHeaders', ev(7));
    expect(got).toHaveLength(0);
  });

  it('records an inspected tab only, with its own filtered listeners, until the last inspector leaves', () => {
    const { wr, got, rec } = setup();
    rec.setScope('inspected');
    const a = rec.inspect(5);
    const b = rec.inspect(5);
    expect(wr.filters()).toEqual([5]);
    expect(wr.count()).toBe(4);
    wr.emit('onSendHeaders', ev(5, 1));
    wr.emit('onSendHeaders', ev(6, 2));
    expect(got.map(([, d]) => d.tabId)).toEqual([5]);
    a();
    a(); // releasing twice counts once
    expect(rec.isRecording(5)).toBe(true);
    b();
    expect(rec.isRecording(5)).toBe(false);
    expect(wr.count()).toBe(0);
  });

  it('swaps between "all" and per-tab listeners, adding the new ones before removing the old', () => {
    const { wr, rec } = setup();
    rec.setScope('inspected');
    rec.inspect(1);
    rec.inspect(2);
    expect(wr.filters()).toEqual([1, 2]);
    const seen: Array<Array<number | 'all'>> = [];
    const add = (wr.webRequest.onSendHeaders as unknown as { addListener: (...a: unknown[]) => void }).addListener;
    const remove = (wr.webRequest.onSendHeaders as unknown as { removeListener: (...a: unknown[]) => void })
      .removeListener;
    (wr.webRequest.onSendHeaders as unknown as Record<string, unknown>).addListener = (...a: unknown[]) => {
      add(...a);
      seen.push(wr.filters());
    };
    (wr.webRequest.onSendHeaders as unknown as Record<string, unknown>).removeListener = (...a: unknown[]) => {
      remove(...a);
      seen.push(wr.filters());
    };
    rec.setScope('all');
    expect(rec.listening).toBe('all');
    // At no point between the calls was a tab left without a listener.
    for (const s of seen) expect(s.includes('all') || (s.includes(1) && s.includes(2))).toBe(true);
    seen.length = 0;
    rec.setScope('inspected');
    expect(wr.filters()).toEqual([1, 2]);
    for (const s of seen) expect(s.includes('all') || (s.includes(1) && s.includes(2))).toBe(true);
  });

  it('drops an event that reaches both the old and the new listener during a swap', () => {
    let now = 0;
    const wr = fakeWebRequest();
    const got: Array<[EventKind, Record<string, unknown>]> = [];
    const rec = new Recorder(
      wr.webRequest,
      'chrome',
      (k, d) => got.push([k, d]),
      () => now,
    );
    const old = wr.events.onSendHeaders![0]!.cb; // the "all" listener
    rec.inspect(3);
    rec.setScope('inspected');
    const fresh = wr.events.onSendHeaders![0]!.cb;
    expect(fresh).not.toBe(old);
    // The browser had already dispatched this event to the old listener; it arrives after the swap.
    old(ev(3, 9));
    fresh(ev(3, 9));
    expect(got).toHaveLength(1);
    // A different event of the same request (e.g. the next redirect hop) is not a duplicate.
    fresh({ ...ev(3, 9), timeStamp: 5000 });
    expect(got).toHaveLength(2);
    // Once the swap is long past, nothing is checked or kept.
    now += DEDUPE_MS + 1;
    fresh(ev(3, 10));
    fresh(ev(3, 11));
    expect(got).toHaveLength(4);
  });

  it('holds tabs inspected before a restart until their DevTools reconnects or the hold ends', () => {
    vi.useFakeTimers();
    const { wr, rec } = setup();
    rec.restore([4, 8], 1000);
    rec.setScope('inspected');
    expect(wr.filters()).toEqual([4, 8]);
    const reconnected = rec.inspect(4);
    vi.advanceTimersByTime(1001);
    expect(wr.filters()).toEqual([4]);
    reconnected();
    expect(wr.count()).toBe(0);
  });

  it('reports the inspected tabs when they change (persisted for restarts)', () => {
    const { rec } = setup();
    const saved: number[][] = [];
    rec.onInspectedChange = (t) => saved.push(t);
    const r = rec.inspect(3);
    rec.inspect(1);
    r();
    expect(saved).toEqual([[3], [1, 3], [1]]);
  });

  it('ignores tab ids that are not tabs', () => {
    const { wr, rec } = setup();
    rec.setScope('inspected');
    for (const id of [-1, NaN, 1.5, Infinity]) rec.inspect(id)();
    expect(wr.count()).toBe(0);
    expect(rec.inspected()).toEqual([]);
  });

  it('reads the scope setting strictly: anything but "all" is the default', () => {
    expect(scopeFrom('all')).toBe('all');
    for (const v of ['inspected', 'ALL', undefined, null, 1, {}]) expect(scopeFrom(v)).toBe('inspected');
  });

  it('after any sequence of scope changes, inspections and releases, listens to exactly what the scope wants and leaks nothing', () => {
    type Op = { t: 'scope'; all: boolean } | { t: 'inspect'; tab: number } | { t: 'release'; i: number };
    const op = fc.oneof(
      fc.record({ t: fc.constant('scope' as const), all: fc.boolean() }),
      fc.record({ t: fc.constant('inspect' as const), tab: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ t: fc.constant('release' as const), i: fc.nat(20) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops: Op[]) => {
        const { wr, rec } = setup();
        const open: Array<{ tab: number; release: () => void }> = [];
        let scope: 'all' | 'inspected' | null = null;
        for (const o of ops) {
          if (o.t === 'scope') rec.setScope((scope = o.all ? 'all' : 'inspected'));
          else if (o.t === 'inspect') open.push({ tab: o.tab, release: rec.inspect(o.tab) });
          else if (open.length) open.splice(o.i % open.length, 1)[0]!.release();
          const tabs = [...new Set(open.map((x) => x.tab))].sort((a, b) => a - b);
          const want = scope === 'inspected' ? tabs : 'all';
          expect(rec.listening).toEqual(want);
          expect(wr.count()).toBe(4 * (want === 'all' ? 1 : want.length));
          expect(rec.inspected()).toEqual(tabs);
        }
      }),
      { numRuns: 300 },
    );
  });
});
