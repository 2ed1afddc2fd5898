// Feeds the CORS panel page a synthetic log through its own port protocol, without a background:
// for scale benchmarks (100,000 entries) and tests of the panel alone. A script installed before
// the panel's own code replaces `chrome.runtime.connect` for the panel's port name with a fake
// port that answers `subscribe` the way the background does (a `snapshot` with the first chunk,
// then `entries` chunks), each chunk JSON round-tripped like extension messaging does. Nothing of
// this ships: the panel runs unmodified.
import { PANEL_PORT, SETTINGS } from '../../src/shared/protocol';
import { waitFor, type ChromiumSession } from './chromium';
import { CdpTarget, targets } from './devtools';

export interface FeedOptions {
  /** Entries in the log. */
  count: number;
  /** One in `blockedEvery` entries is blocked (default 4). */
  blockedEvery?: number;
  /** Entries per port message (default 1000, as the background streams its snapshot). */
  chunk?: number;
  tabId?: number;
  /** Sets the log cap (SETTINGS.logCap) first; the panel keeps no more than the cap. */
  cap?: number;
}

/**
 * Builds `count` LogEntries in the page (self-contained: it is serialized into the page, so no
 * imports or outer variables). Realistic shapes: Chromium header sets, a preflight on every other
 * blocked entry, evidence rows and a cause.
 */
function makeEntries(from: number, to: number, blockedEvery: number): unknown[] {
  const page = 'http://localhost:3000';
  const api = 'http://localhost:8000';
  const t0 = Date.UTC(2026, 0, 15, 9, 30, 0);
  const reqHeaders = (extra: Array<[string, string]>) =>
    [
      ['sec-ch-ua-platform', '"Linux"'],
      [
        'User-Agent',
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      ],
      ['Accept', '*/*'],
      ['Origin', page],
      ['Sec-Fetch-Site', 'same-site'],
      ['Sec-Fetch-Mode', 'cors'],
      ['Referer', page + '/'],
      ...extra,
    ].map(([name, value]) => ({ name, value }));
  const out: unknown[] = [];
  for (let i = from; i < to; i++) {
    const id = String(1000 + i * 2);
    const url = `${api}/api/items/${i}?page=${i % 50}`;
    const blocked = i % blockedEvery === 0;
    const preflighted = blocked && i % (blockedEvery * 2) === 0;
    const start = t0 + i * 3;
    const acao = blocked && !preflighted ? `${page}/` : page;
    const hop = preflighted
      ? { url, method: 'PUT' }
      : {
          url,
          method: 'GET',
          requestHeaders: reqHeaders([]),
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: [
            { name: 'content-type', value: 'application/json' },
            { name: 'access-control-allow-origin', value: acao },
            { name: 'vary', value: 'Origin' },
          ],
        };
    const preflights = preflighted
      ? [
          {
            requestId: String(1001 + i * 2),
            hopIndex: 0,
            state: 'completed',
            hop: {
              url,
              method: 'OPTIONS',
              requestHeaders: reqHeaders([
                ['Access-Control-Request-Method', 'PUT'],
                ['Access-Control-Request-Headers', 'content-type'],
              ]),
              statusCode: 204,
              statusLine: 'HTTP/1.1 204 No Content',
              responseHeaders: [
                { name: 'access-control-allow-origin', value: page },
                { name: 'access-control-allow-methods', value: 'GET, POST' },
                { name: 'access-control-allow-headers', value: 'content-type' },
              ],
            },
          },
        ]
      : [];
    const verdict = blocked
      ? preflighted
        ? {
            outcome: 'blocked',
            credentials: 'not-include',
            symptom: {
              corsError: 'MethodDisallowedByPreflightResponse',
              failedParameter: 'PUT',
              firefoxReason: 'CORSMethodNotFound',
              stage: 'preflight',
              hopIndex: 0,
            },
            preflight: { needed: true, reasons: ['method PUT is not safelisted'], seen: true, fromCache: false },
            evidence: [
              {
                stage: 'preflight',
                rule: 'allow-origin',
                field: 'Access-Control-Allow-Origin',
                needed: `"${page}" or "*"`,
                sent: page,
                result: 'pass',
                hopIndex: 0,
              },
              {
                stage: 'preflight',
                rule: 'allow-methods',
                field: 'Access-Control-Allow-Methods',
                needed: '"PUT" or "*" listed',
                sent: 'GET, POST',
                result: 'fail',
                hopIndex: 0,
                subject: 'PUT',
                decisive: true,
              },
            ],
            cause: { code: 'method-not-allowed', confidence: 'certain', facts: { method: 'PUT', origin: page } },
            warnings: [],
          }
        : {
            outcome: 'blocked',
            credentials: 'not-include',
            symptom: {
              corsError: 'AllowOriginMismatch',
              failedParameter: acao,
              firefoxReason: 'CORSAllowOriginNotMatchingOrigin',
              stage: 'response',
              hopIndex: 0,
            },
            preflight: { needed: false, reasons: [], seen: false, fromCache: false },
            evidence: [
              {
                stage: 'response',
                rule: 'allow-origin',
                field: 'Access-Control-Allow-Origin',
                needed: `"${page}" or "*"`,
                sent: acao,
                result: 'fail',
                hopIndex: 0,
                decisive: true,
              },
            ],
            cause: { code: 'origin-typo', confidence: 'certain', facts: { origin: page, sent: acao } },
            warnings: [],
          }
      : {
          outcome: 'pass',
          credentials: 'not-include',
          preflight: { needed: false, reasons: [], seen: false, fromCache: false },
          evidence: [
            {
              stage: 'response',
              rule: 'allow-origin',
              field: 'Access-Control-Allow-Origin',
              needed: `"${page}" or "*"`,
              sent: page,
              result: 'pass',
              hopIndex: 0,
            },
          ],
          warnings: [],
        };
    out.push({
      id,
      seq: i + 1,
      nav: 0,
      exchange: {
        id,
        requestId: id,
        browser: 'chrome',
        tabId: 1,
        frameId: 0,
        type: 'xmlhttprequest',
        method: preflighted ? 'PUT' : 'GET',
        url,
        pageOrigin: page,
        documentUrl: page + '/',
        startTime: start,
        endTime: start + 7,
        hops: [hop],
        preflights,
        state: blocked ? 'error' : 'completed',
        ...(blocked ? { error: 'net::ERR_FAILED' } : {}),
      },
      verdict,
    });
  }
  return out;
}

/** Page-side installer (self-contained): a fake runtime.connect for the panel's port. */
function installFakePort(cfg: {
  portName: string;
  count: number;
  blockedEvery: number;
  chunk: number;
  tabId: number;
  make: string;
}): void {
  type Made = { id: string; exchange: { id: string; requestId: string; startTime: number } };
  const make = new Function('__name', `return (${cfg.make})`)((f: unknown) => f) as (
    from: number,
    to: number,
    b: number,
  ) => Made[];
  const w = globalThis as unknown as {
    chrome?: { runtime?: { connect?: unknown } };
    __corsLensFeed?: { built: number; delivered: number; live(n: number): void };
  };
  const runtime = w.chrome?.runtime as { connect: (info?: { name?: string }) => unknown } | undefined;
  if (!runtime) return;
  const real = runtime.connect.bind(runtime);
  const t = performance.now();
  const entries = make(0, cfg.count, cfg.blockedEvery);
  let post: ((m: unknown) => void) | null = null;
  let liveCount = 0;
  w.__corsLensFeed = {
    built: performance.now() - t,
    delivered: 0,
    // More requests arriving live (as the background sends them: one `entries` message per batch).
    live(n: number) {
      const more = make(cfg.count + liveCount, cfg.count + liveCount + n, cfg.blockedEvery);
      for (const e of more) {
        e.id = e.exchange.id = e.exchange.requestId = `live-${liveCount++}`;
        e.exchange.startTime = Date.now();
      }
      post?.({ type: 'entries', entries: more, origins: [] });
    },
  };
  runtime.connect = (info?: { name?: string }) => {
    if (info?.name !== cfg.portName) return real(info);
    const listeners: Array<(m: unknown) => void> = [];
    post = (m: unknown) => {
      const copy = JSON.parse(JSON.stringify(m)); // what extension messaging does to every message
      for (const l of listeners) l(copy);
    };
    return {
      name: cfg.portName,
      onMessage: { addListener: (f: (m: unknown) => void) => listeners.push(f) },
      onDisconnect: { addListener: () => {} },
      disconnect: () => {},
      postMessage: (m: { type?: string }) => {
        if (m?.type !== 'subscribe') return;
        let i = 0;
        const next = () => {
          const chunk = entries.slice(i, i + cfg.chunk);
          const first = i === 0;
          i += cfg.chunk;
          const origins = [
            {
              target: 'http://localhost:8000',
              page: 'http://localhost:3000',
              pass: Math.min(i, cfg.count) - Math.ceil(Math.min(i, cfg.count) / cfg.blockedEvery),
              blocked: Math.ceil(Math.min(i, cfg.count) / cfg.blockedEvery),
              other: 0,
              lastSeen: Date.now(),
            },
          ];
          post!(
            first
              ? { type: 'snapshot', tabId: cfg.tabId, entries: chunk, navigations: [], origins, evicted: 0 }
              : { type: 'entries', entries: chunk, origins },
          );
          w.__corsLensFeed!.delivered = Math.min(i, cfg.count);
          if (i < cfg.count) setTimeout(next, 0);
        };
        setTimeout(next, 0);
      },
    };
  };
}

/** The expression to install with Page.addScriptToEvaluateOnNewDocument before the panel loads. */
export function fakePortSource(o: FeedOptions): string {
  const cfg = {
    portName: PANEL_PORT,
    count: o.count,
    blockedEvery: o.blockedEvery ?? 4,
    chunk: o.chunk ?? 1000,
    tabId: o.tabId ?? 1,
    make: makeEntries.toString(),
  };
  // Some TypeScript runners (tsx, esbuild keepNames) wrap functions in __name(): give the page one.
  return `(() => { var __name = (f) => f; (${installFakePort.toString()})(${JSON.stringify(cfg)}); })()`;
}

export interface FedPanel {
  target: CdpTarget;
  /** ms from the panel's start to the first snapshot applied / its rows painted / everything delivered. */
  timings: { synced: number; rows: number; allDelivered: number; buildMs: number };
  close(): Promise<void>;
}

/**
 * Opens the panel page as a tab of `s` (extension loaded) with a synthetic log of `o.count`
 * entries fed through the fake port, and waits until every entry was delivered and rendered.
 */
export async function openFedPanel(s: ChromiumSession, o: FeedOptions): Promise<FedPanel> {
  const bs = await s.browser.newBrowserCDPSession();
  const { targetId } = (await bs.send('Target.createTarget', { url: 'about:blank' } as never)) as unknown as {
    targetId: string;
  };
  const info = await waitFor('new tab', async () => (await targets(s)).find((t) => t.targetId === targetId));
  const target = await CdpTarget.attach(s, info);
  await target.send('Page.enable');
  const url = `chrome-extension://${s.extensionId}/src/panel/panel.html?tabId=${o.tabId ?? 1}`;
  if (o.cap !== undefined) {
    await target.send('Page.navigate', { url });
    await target.waitFor(
      'extension page',
      () => (location.protocol === 'chrome-extension:' && !!(globalThis as any).chrome?.storage) || null,
    );
    await target.evaluate(([key, cap]) => (globalThis as any).chrome.storage.local.set({ [key as string]: cap }), [
      SETTINGS.logCap,
      o.cap,
    ] as const);
  }
  await target.send('Page.addScriptToEvaluateOnNewDocument', { source: fakePortSource(o) });
  await target.send('Page.navigate', { url });
  const kept = Math.min(o.count, o.cap ?? Number.POSITIVE_INFINITY);
  await target.waitFor(
    'every entry delivered and counted',
    ([count, keep]: number[]) => {
      const feed = (globalThis as unknown as { __corsLensFeed?: { delivered: number } }).__corsLensFeed;
      const bar = document.querySelector('[data-testid="statusbar"]')?.textContent ?? '';
      return feed?.delivered === count && new RegExp(`(^|\\D)${keep} requests?\\b`).test(bar) ? true : null;
    },
    [o.count, kept],
    120_000,
  );
  // (No named inner functions in evaluated code: runners such as tsx would wrap them in __name.)
  const timings = await target.evaluate(() => {
    const start = performance.getEntriesByName('cors-lens:start')[0]?.startTime ?? NaN;
    const synced = performance.getEntriesByName('cors-lens:synced')[0]?.startTime ?? NaN;
    const rows = performance.getEntriesByName('cors-lens:rows')[0]?.startTime ?? NaN;
    const feed = (globalThis as unknown as { __corsLensFeed: { built: number } }).__corsLensFeed;
    return { synced: synced - start, rows: rows - start, allDelivered: performance.now() - start, buildMs: feed.built };
  });
  return {
    target,
    timings,
    async close() {
      await bs.send('Target.closeTarget', { targetId } as never).catch(() => {});
      await bs.detach().catch(() => {});
    },
  };
}
