// Panel scale: the real DevTools CORS panel opened on a tab whose log holds 100,000 entries.
// Measures time to the first row painted (from the panel document's start), time until the
// snapshot has been rendered completely (DOM quiet), and frame times while scrolling.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { topSelf } from './profile';
import { attachWorker, devtoolsSession, launch, sleep } from './cdp';
import { BENCH_PAGE, startBenchServers } from './server';
import { syntheticEvents } from './synthetic';
import { quantile, round } from './stats';
import { ROOT } from '../test/support/chromium';

export interface PanelScaleResult {
  entries: number;
  blocked: number;
  /** Panel document start → first request row in the DOM / painted (next frame), ms. */
  firstRowMs: number;
  firstRowPaintMs: number;
  /** Panel document start → the last DOM change of the initial load (nothing changed for 2 s after). */
  settledMs: number;
  /** showPanel → first row painted, wall clock ms (includes DevTools loading the panel frame). */
  fromShowMs: number;
  /** Panel document start → its port connected / first snapshot message / last snapshot message. */
  connectMs: number;
  firstMessageMs: number;
  lastMessageMs: number;
  messages: number;
  scroll: { frames: number; p50: number; p95: number; max: number; over50: number };
  rowsInDom: number;
}

/** Runs in the panel frame before its scripts: records when request rows first appear. */
const RECORDER = `(() => {
  const r = globalThis.__scale = { firstRow: 0, firstPaint: 0, last: 0, connect: 0, firstMessage: 0, messages: 0, lastMessage: 0 };
  // When the panel connects to the background and when the snapshot's messages arrive.
  const rt = globalThis.chrome && chrome.runtime;
  if (rt && rt.connect) {
    const connect = rt.connect.bind(rt);
    rt.connect = (...args) => {
      if (!r.connect) r.connect = performance.now();
      const port = connect(...args);
      port.onMessage.addListener(() => {
        r.messages++;
        r.lastMessage = performance.now();
        if (!r.firstMessage) r.firstMessage = r.lastMessage;
      });
      return port;
    };
  }
  new MutationObserver((muts) => {
    const t = performance.now();
    r.last = t;
    if (r.firstRow) return;
    for (const mu of muts) for (const n of mu.addedNodes) {
      if ((n.textContent || '').includes('/items/')) {
        r.firstRow = t;
        requestAnimationFrame(() => (r.firstPaint = performance.now()));
        return;
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})()`;

/** Runs in the panel: scrolls the request list by `step` px per frame for `frames` frames. */
function scrollFrames(arg: { frames: number; step: number }): Promise<number[]> {
  const candidates = [...document.querySelectorAll<HTMLElement>('*')].filter(
    (el) => el.scrollHeight > el.clientHeight + 100 && getComputedStyle(el).overflowY !== 'visible',
  );
  const el =
    candidates.sort((a, b) => b.scrollHeight - a.scrollHeight)[0] ?? (document.scrollingElement as HTMLElement);
  el.scrollTop = 0;
  return new Promise((resolve) => {
    const times: number[] = [];
    let last = 0;
    const tick = (t: number) => {
      if (last) times.push(t - last);
      last = t;
      if (times.length >= arg.frames) return resolve(times);
      el.scrollTop += arg.step;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * `profile`: a directory; CPU profiles of the worker and the panel frame during the snapshot load
 * are written there (worker.cpuprofile, panel.cpuprofile) and their top items printed. For finding
 * causes only: the profiler perturbs the times.
 */
export async function benchPanelScale(opts: {
  entries: number;
  log: (s: string) => void;
  profile?: string;
}): Promise<PanelScaleResult> {
  const servers = await startBenchServers(BENCH_PAGE);
  const b = await launch({ extension: join(ROOT, 'dist/chrome'), devtools: true });
  try {
    const sw = await attachWorker(b);
    for (let i = 0; !(await sw.eval<boolean>('!!globalThis.__corsLens')); i++) {
      if (i > 200) throw new Error('the background never started');
      await sleep(50);
    }
    await sw.eval('globalThis.__corsLens.ready()');
    await sw.eval(`chrome.storage.local.set({ 'settings.logCap': ${opts.entries} })`);
    await sw.eval(`globalThis.__synth = (() => { const __name = (f) => f; return ${syntheticEvents.toString()}; })()`);
    const page = await b.cdp.attach(b.pageTarget);
    await page.send('Page.enable');
    const loaded = new Promise((r) => page.on('Page.loadEventFired', r));
    await page.send('Page.navigate', { url: `${servers.page}/` });
    await loaded;
    const tabId = await sw.eval<number>(`chrome.tabs.query({}).then((ts) => ts[0].id)`);
    const per = 1000;
    for (let done = 0, id = 5_000_000; done < opts.entries; done += per, id += 2 * per) {
      await sw.eval(
        `globalThis.__corsLens.ingest(globalThis.__synth(${JSON.stringify({ browser: 'chrome', firstId: id, count: per, tabId, pageOrigin: servers.page, apiOrigin: 'http://127.0.0.1:8000', t0: Date.now() })})), 0`,
      );
    }
    await sw.eval('globalThis.__corsLens.flush()');
    const stats = await sw.eval('globalThis.__corsLens.stats()');
    opts.log(`  ${stats.entries} entries logged for the tab`);

    // Catch the panel frame as it is created (its URL is not known yet when it attaches, so every
    // new frame gets the recorder) and install the recorder before its scripts run.
    const dt = await devtoolsSession(b);
    const newFrames: string[] = [];
    b.cdp.on('Target.attachedToTarget', async (e: any, sid?: string) => {
      if (sid !== dt.id) return;
      if (e.targetInfo.type === 'iframe') {
        await b.cdp.send('Page.enable', {}, e.sessionId).catch(() => {});
        if (opts.profile) {
          await b.cdp.send('Profiler.enable', {}, e.sessionId).catch(() => {});
          await b.cdp.send('Profiler.setSamplingInterval', { interval: 500 }, e.sessionId).catch(() => {});
          await b.cdp.send('Profiler.start', {}, e.sessionId).catch(() => {});
        }
        await b.cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: RECORDER }, e.sessionId).catch(() => {});
        newFrames.push(e.sessionId);
      }
      if (e.waitingForDebugger) await b.cdp.send('Runtime.runIfWaitingForDebugger', {}, e.sessionId).catch(() => {});
    });
    await dt.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    const panelId = `chrome-extension://${b.extensionId}CORS`;
    while (!(await dt.eval<boolean>(`!!globalThis.UI?.panels?.[${JSON.stringify(panelId)}]`).catch(() => false)))
      await sleep(50);
    if (opts.profile) {
      await sw.send('Profiler.enable');
      await sw.send('Profiler.setSamplingInterval', { interval: 500 });
      await sw.send('Profiler.start');
    }
    const shownAt = Date.now();
    await dt.eval(`InspectorFrontendAPI.showPanel(${JSON.stringify(panelId)})`);
    let sid = '';
    for (const deadline = Date.now() + 30_000; !sid; await sleep(50)) {
      if (Date.now() > deadline) throw new Error('the panel frame never appeared');
      for (const f of newFrames) {
        const href = await b.cdp.send('Runtime.evaluate', { expression: 'location.href', returnByValue: true }, f).then(
          (r: any) => r.result.value as string,
          () => '',
        );
        if (href.includes('/src/panel/panel.html')) sid = f;
      }
    }
    const ev = <T>(expr: string) =>
      b.cdp
        .send('Runtime.evaluate', { expression: expr, returnByValue: true, awaitPromise: true }, sid)
        .then((r: any) => {
          if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
          return r.result.value as T;
        });
    // Wait for the first row, then for the DOM to stay quiet for 2 s (snapshot fully rendered).
    const until = Date.now() + 180_000;
    let rec:
      | {
          firstRow: number;
          firstPaint: number;
          last: number;
          connect: number;
          firstMessage: number;
          lastMessage: number;
          messages: number;
        }
      | undefined;
    for (;;) {
      rec = await ev<typeof rec>('globalThis.__scale').catch(() => undefined);
      const now = await ev<number>('performance.now()').catch(() => 0);
      if (rec?.firstPaint && now - rec.last > 2000) break;
      if (Date.now() > until) throw new Error('the panel did not settle within 180 s');
      await sleep(250);
    }
    if (opts.profile) {
      mkdirSync(opts.profile, { recursive: true });
      const stop = async (name: string, send: (m: string) => Promise<any>) => {
        const { profile } = await send('Profiler.stop');
        writeFileSync(join(opts.profile!, `${name}.cpuprofile`), JSON.stringify(profile));
        opts.log(`  ${name} profile, top self time:`);
        for (const r of topSelf(profile, 20))
          opts.log(`    ${String(r.ms).padStart(8)} ms ${String(r.pct).padStart(5)}%  ${r.fn}`);
      };
      await stop('worker', (m) => sw.send(m));
      await stop('panel', (m) => b.cdp.send(m, {}, sid));
    }
    const origin = await ev<number>('performance.timeOrigin');
    const rowsInDom = await ev<number>(`document.querySelectorAll('tr').length`);
    const frames = await ev<number[]>(
      `(() => { const __name = (f) => f; return (${scrollFrames.toString()})(${JSON.stringify({ frames: 120, step: 400 })}); })()`,
    );
    const q = (p: number) => round(quantile(frames, p), 1);
    const blocked = Math.round(opts.entries / 10);
    return {
      entries: stats.entries,
      blocked,
      firstRowMs: round(rec!.firstRow, 0),
      firstRowPaintMs: round(rec!.firstPaint, 0),
      settledMs: round(rec!.last, 0),
      fromShowMs: round(origin + rec!.firstPaint - shownAt, 0),
      connectMs: round(rec!.connect, 0),
      firstMessageMs: round(rec!.firstMessage, 0),
      lastMessageMs: round(rec!.lastMessage, 0),
      messages: rec!.messages,
      scroll: {
        frames: frames.length,
        p50: q(0.5),
        p95: q(0.95),
        max: round(Math.max(...frames), 1),
        over50: frames.filter((f) => f > 50).length,
      },
      rowsInDom,
    };
  } finally {
    await b.close();
    await servers.close();
  }
}
