// Failure → row latency: from the browser's own failure event for a blocked request (CDP
// Network.loadingFailed on the page) to the row for it on screen in the real DevTools CORS panel.
//
// Clocks: the failure time is wall-clock (CDP requestWillBeSent.wallTime plus the monotonic
// delta to loadingFailed.timestamp); the panel records performance.timeOrigin + performance.now()
// (wall-clock epoch ms, same machine) when the row enters the DOM and again in the next animation
// frame (the frame that paints it). The panel's clock is checked against Date.now() before and
// after, and the drift is reported.
import { join } from 'node:path';
import { devtoolsSession, launch, panelSession, showCorsPanel, sleep } from './cdp';
import { BENCH_PAGE, startBenchServers } from './server';
import { quantile, round } from './stats';
import { ROOT } from '../test/support/chromium';

export interface LatencyResult {
  failures: number;
  measured: number;
  /** ms from loadingFailed to the row in the DOM / painted (next animation frame). */
  dom: { min: number; p50: number; p95: number; max: number };
  paint: { min: number; p50: number; p95: number; max: number };
  /** Rows that were in the DOM before the browser's failure event (the verdict came from the response headers, before the browser reported the error). */
  beforeFailure: number;
  /** Panel clock (timeOrigin + now) minus its Date.now(), before and after, ms. */
  clockSkewMs: [number, number];
  gapMs: number;
}

/** Installed in the panel: records when each marked URL first shows up in the DOM, and its frame. */
function installObserver(): void {
  const w = globalThis as any;
  const seen: Record<string, [number, number]> = {};
  w.__latency = seen;
  const now = () => performance.timeOrigin + performance.now();
  const scan = (text: string | null, t: number) => {
    if (!text) return;
    for (const m of text.matchAll(/lat=(r\d+x\d+)z/g)) {
      const k = m[1]!;
      if (seen[k]) continue;
      const rec: [number, number] = [t, 0];
      seen[k] = rec;
      requestAnimationFrame(() => (rec[1] = now()));
    }
  };
  let scrolledOnce = false;
  new MutationObserver((muts) => {
    const t = now();
    for (const mu of muts) {
      if (mu.type === 'characterData') scan(mu.target.textContent, t);
      for (const n of mu.addedNodes) scan(n.textContent, t);
    }
    // A user who watches the log keeps it scrolled to the newest row: do that once, when the list
    // first overflows, so a virtualized list follows its tail from then on.
    if (!scrolledOnce) {
      for (const el of document.querySelectorAll<HTMLElement>('*')) {
        if (
          el.scrollHeight > el.clientHeight + 4 &&
          getComputedStyle(el).overflowY !== 'visible' &&
          el.clientHeight > 0
        ) {
          el.scrollTop = el.scrollHeight;
          scrolledOnce = true;
        }
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

export async function benchLatency(opts: {
  failures: number;
  gapMs: number;
  log: (s: string) => void;
}): Promise<LatencyResult> {
  const servers = await startBenchServers(BENCH_PAGE);
  const b = await launch({ extension: join(ROOT, 'dist/chrome'), devtools: true });
  try {
    await showCorsPanel(b, await devtoolsSession(b));
    const panel = await panelSession(b);
    await panel.call(installObserver);
    const page = await b.cdp.attach(b.pageTarget);
    await page.send('Page.enable');
    const loaded = new Promise((r) => page.on('Page.loadEventFired', r));
    await page.send('Page.navigate', { url: `${servers.page}/` });
    await loaded;
    const sent = new Map<string, { url: string; wall: number; ts: number }>();
    const failedAt = new Map<string, number>(); // marker → wall ms
    page.on('Network.requestWillBeSent', (e) =>
      sent.set(e.requestId, { url: e.request.url, wall: e.wallTime, ts: e.timestamp }),
    );
    page.on('Network.loadingFailed', (e) => {
      const s = sent.get(e.requestId);
      const m = s && /lat=(r\d+x\d+)z/.exec(s.url);
      if (m) failedAt.set(m[1]!, (s.wall + (e.timestamp - s.ts)) * 1000);
    });
    await page.send('Network.enable');
    const skew = () => panel.eval<number>('performance.timeOrigin + performance.now() - Date.now()');
    const skew0 = await skew();
    const tag = `r${Date.now() % 100000}`;
    await page.eval(`runFailures(${JSON.stringify({ api: servers.api, n: opts.failures, gapMs: opts.gapMs, tag })})`);
    // Let the last rows arrive.
    const until = Date.now() + 15_000;
    let rows: Record<string, [number, number]> = {};
    while (Date.now() < until) {
      rows = await panel.eval('globalThis.__latency');
      if (Object.keys(rows).filter((k) => k.startsWith(tag) && rows[k]![1] > 0).length >= opts.failures) break;
      await sleep(200);
    }
    const skew1 = await skew();
    const dom: number[] = [];
    const paint: number[] = [];
    for (const [k, failed] of failedAt) {
      const r = rows[k];
      if (!r || r[1] === 0) continue;
      dom.push(r[0] - failed);
      paint.push(r[1] - failed);
    }
    opts.log(`  ${paint.length}/${opts.failures} failures matched to panel rows`);
    const q = (xs: number[]) => ({
      min: round(Math.min(...xs), 1),
      p50: round(quantile(xs, 0.5), 1),
      p95: round(quantile(xs, 0.95), 1),
      max: round(Math.max(...xs), 1),
    });
    return {
      failures: opts.failures,
      measured: paint.length,
      dom: q(dom),
      paint: q(paint),
      beforeFailure: dom.filter((x) => x < 0).length,
      clockSkewMs: [round(skew0, 2), round(skew1, 2)],
      gapMs: opts.gapMs,
    };
  } finally {
    await b.close();
    await servers.close();
  }
}
