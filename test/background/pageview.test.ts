// The background's page view desk: relays the switch to the tab's DevTools page, pairs the page's
// reports with finished exchanges (whichever arrives first) and has them judged again; reports
// from a tab without the page view on, malformed ones and stale ones are ignored.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/core/check';
import type { LogEntry } from '../../src/core/log';
import type { BackgroundMessage, ToDevtoolsMessage } from '../../src/shared/protocol';
import type { Exchange } from '../../src/core/types';
import { PageViewDesk } from '../../src/background/pageview';
import { API, ex, h } from '../core/build';

const T0 = 1_700_000_000_000;

function setup(now = T0 + 100) {
  const rejudged: Exchange[] = [];
  const panels: Array<[number, BackgroundMessage]> = [];
  const desk = new PageViewDesk(
    (e) => rejudged.push(e),
    (tab, m) => panels.push([tab, m]),
    () => now,
  );
  const toDevtools: ToDevtoolsMessage[] = [];
  return { desk, rejudged, panels, toDevtools };
}

function entry(e: Exchange): LogEntry {
  return { id: e.id, seq: 1, nav: 0, exchange: e, verdict: diagnose(e) };
}

function wildcard(): Exchange {
  const e = ex({ browser: 'firefox', status: 200, headers: h(['Access-Control-Allow-Origin', '*']) });
  e.startTime = T0 + 2;
  return e;
}

const report = (url: string, p: Record<string, unknown> = {}) => ({
  api: 'fetch',
  url,
  method: 'GET',
  credentials: 'include',
  outcome: 'network-error',
  status: 0,
  start: T0,
  end: T0 + 30,
  sync: false,
  ...p,
});

describe('PageViewDesk', () => {
  it('without a DevTools page for the tab the switch reports "unavailable"', () => {
    const { desk, panels } = setup();
    desk.request(7, true);
    expect(panels).toEqual([
      [7, { type: 'pageView', state: 'unavailable', detail: expect.stringMatching(/Open DevTools/) }],
    ]);
  });

  it("relays on/off to the DevTools page and the page's states to the panels", () => {
    const { desk, panels, toDevtools } = setup();
    const detach = desk.attachDevtools(7, (m) => toDevtools.push(m));
    desk.request(7, true);
    expect(toDevtools).toEqual([{ type: 'pageView', on: true }]);
    desk.setState(7, 'on');
    expect(panels.at(-1)).toEqual([7, { type: 'pageView', state: 'on' }]);
    expect(desk.stateMessage(7)).toEqual({ type: 'pageView', state: 'on' });
    desk.request(7, false);
    expect(toDevtools.at(-1)).toEqual({ type: 'pageView', on: false });
    desk.setState(7, 'on');
    detach();
    // DevTools closed: nothing polls the page any more.
    expect(panels.at(-1)).toEqual([7, { type: 'pageView', state: 'off' }]);
  });

  it('pairs a report with its exchange whichever comes first, and has the exchange judged again', () => {
    for (const reportFirst of [true, false]) {
      const { desk, rejudged } = setup();
      desk.attachDevtools(7, () => {});
      desk.setState(7, 'on');
      const e = wildcard();
      e.tabId = 7;
      if (reportFirst) desk.records(7, [report(e.url)]);
      desk.seen(7, [entry(e)]);
      if (!reportFirst) desk.records(7, [report(e.url)]);
      expect(rejudged).toHaveLength(1);
      expect(rejudged[0]!.page).toMatchObject({ credentials: 'include', outcome: 'network-error' });
      expect(diagnose(rejudged[0]!)).toMatchObject({ outcome: 'blocked', credentialsBasis: 'page-view' });
      // The re-judged entry comes back through the pipeline: it is not paired twice.
      desk.seen(7, [entry(rejudged[0]!)]);
      desk.records(7, [report(e.url)]);
      expect(rejudged).toHaveLength(1);
    }
  });

  it('ignores reports while off, malformed reports, pending exchanges and other URLs', () => {
    const { desk, rejudged } = setup();
    const e = wildcard();
    desk.seen(7, [entry(e)]);
    desk.records(7, [report(e.url)]); // page view off
    desk.attachDevtools(7, () => {});
    desk.setState(7, 'on');
    desk.records(7, [{ ...report(e.url), url: 'javascript:1' }, 'x', null]);
    desk.records(7, { not: 'an array' });
    const pending = { ...wildcard(), id: 'p', state: 'pending' as const };
    desk.seen(7, [entry(pending)]);
    desk.records(7, [report(`${API}/elsewhere`)]);
    expect(rejudged).toEqual([]);
  });

  it('ignores requests started before the reload and requests that are not fetch/XHR', () => {
    const { desk, rejudged } = setup(T0 + 100);
    desk.attachDevtools(7, () => {});
    desk.setState(7, 'starting'); // at T0 + 100: the report's exchange (T0 + 2) started before
    desk.setState(7, 'on');
    desk.seen(7, [entry(wildcard())]);
    desk.records(7, [report(wildcard().url)]);
    expect(rejudged).toEqual([]);
    const { desk: d2, rejudged: r2 } = setup();
    d2.attachDevtools(7, () => {});
    d2.setState(7, 'on');
    d2.seen(7, [entry({ ...wildcard(), type: 'image' })]);
    d2.records(7, [report(wildcard().url)]);
    expect(r2).toEqual([]);
  });

  it('forgets reports and exchanges older than a minute', () => {
    const { desk, rejudged } = setup(T0 + 120_000);
    desk.attachDevtools(7, () => {});
    desk.setState(7, 'on');
    const e = wildcard();
    desk.seen(7, [entry(e)]);
    desk.records(7, [report(e.url)]);
    expect(rejudged).toEqual([]);
  });
});
