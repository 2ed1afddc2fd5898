// The panels' outbox holds the newest version of each changed entry. The page view desk can
// re-judge an exchange while the pipeline is still telling its listener about it (a report that
// arrived before the exchange finished is paired at once): the re-judged version then reaches
// the outbox first, and must not be overwritten by the version that triggered it.
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/background/outbox';
import { PageViewDesk } from '../../src/background/pageview';
import { Pipeline } from '../../src/background/pipeline';
import { LogStore, MemoryBackend } from '../../src/background/store';
import { diagnose } from '../../src/core/check';
import type { LogEntry } from '../../src/core/log';
import { API, ex, h } from '../core/build';

function entry(seq: number, outcome: 'pending' | 'uncertain' | 'blocked'): LogEntry {
  const e = ex({ browser: 'firefox', status: 200, headers: h(['Access-Control-Allow-Origin', '*']) });
  return { id: 'r1', seq, nav: 0, exchange: e, verdict: { ...diagnose(e), outcome } };
}

/** An outbox whose deliveries are collected; `flush()` sends what waits now. */
function collect() {
  const sent: Array<[number, LogEntry[]]> = [];
  const outbox = new Outbox((tabId, entries) => sent.push([tabId, entries]));
  return { outbox, sent };
}

describe('Outbox', () => {
  it('keeps the newest version (highest seq) of each entry, whatever the arrival order', () => {
    const { outbox, sent } = collect();
    outbox.add(7, [entry(1, 'pending')]);
    outbox.add(7, [entry(3, 'blocked')]);
    outbox.add(7, [entry(2, 'uncertain')]); // older: arrived late through a re-entered listener
    expect(outbox.has(7)).toBe(true);
    outbox.flush();
    expect(sent).toEqual([
      [7, [expect.objectContaining({ seq: 3, verdict: expect.objectContaining({ outcome: 'blocked' }) })]],
    ]);
    expect(outbox.has(7)).toBe(false);
  });

  it('a page report that arrived before its exchange finished: the panels get the settled verdict', async () => {
    const store = new LogStore(new MemoryBackend(), { writeDelayMs: 5 });
    // A panel shows the tab: every change is judged and goes out live.
    const pipeline = new Pipeline('firefox', store, () => true);
    await store.restore();
    const desk = new PageViewDesk(
      (x) => pipeline.rejudge(x),
      () => {},
    );
    const { outbox, sent } = collect();
    // Wired as src/background/ports.ts does: the desk sees the entries, then the outbox gets them.
    pipeline.subscribe({
      entries(tabId, entries) {
        desk.seen(tabId, entries);
        outbox.add(tabId, entries);
      },
      navigated() {},
    });
    desk.attachDevtools(7, () => {});
    desk.setState(7, 'on');

    // Firefox: a credentialed fetch (no cookie, so no sign of it on the wire) answered with "*";
    // the page saw the network error before the request's last webRequest event arrived.
    const t = Date.now();
    const url = `${API}/me`;
    desk.records(7, [
      {
        api: 'fetch',
        url,
        method: 'GET',
        credentials: 'include',
        outcome: 'network-error',
        status: 0,
        start: t - 5,
        end: t + 30,
        sync: false,
      },
    ]);
    const base = {
      requestId: '41',
      url,
      method: 'GET',
      type: 'xmlhttprequest',
      tabId: 7,
      frameId: 0,
      originUrl: 'http://127.0.0.1:3000/',
    };
    pipeline.ingestOne('sendHeaders', {
      ...base,
      timeStamp: t,
      requestHeaders: [{ name: 'Origin', value: 'http://127.0.0.1:3000' }],
    });
    pipeline.ingestOne('headersReceived', {
      ...base,
      timeStamp: t + 10,
      statusCode: 200,
      responseHeaders: [{ name: 'Access-Control-Allow-Origin', value: '*' }],
    });
    pipeline.ingestOne('completed', { ...base, timeStamp: t + 12, statusCode: 200 });

    outbox.flush();
    expect(sent).toHaveLength(1);
    const me = sent[0]![1].find((e) => e.id === '41');
    expect(me?.exchange.page).toMatchObject({ credentials: 'include', outcome: 'network-error' });
    expect(me?.verdict).toMatchObject({ outcome: 'blocked', credentialsBasis: 'page-view' });
  });
});
