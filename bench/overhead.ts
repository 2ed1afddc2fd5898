// Page overhead: the same page, the same 1,000 cross-origin fetches, in browsers that differ only
// in what is installed/open. Runs alternate between configurations in every round (rotating the
// order) so drift and other load on the machine hit all of them alike; we report medians and the
// median of per-round ratios.
import { join } from 'node:path';
import { buildBareExtension } from './bare-extension/build';
import {
  attachWorker,
  recordEveryTab,
  cpuByKind,
  cpuDelta,
  devtoolsSession,
  launch,
  showCorsPanel,
  sleep,
  type BenchBrowser,
  type Session,
} from './cdp';
import { BENCH_PAGE, startBenchServers, type BenchServers } from './server';
import { median, round } from './stats';
import { ROOT } from '../test/support/chromium';

export type ConfigName = string;
export interface Config {
  name: ConfigName;
  label: string;
  /** 'bare', 'lens', 'har' or a path to an unpacked extension (experiments); null = none. */
  extension: string | null;
  devtools?: boolean;
  panel?: boolean;
  /** CORS Lens's recording scope (options page); default: tabs with DevTools open. */
  scope?: 'all';
}
export const CONFIGS: Config[] = [
  { name: 'none', label: 'no extension', extension: null },
  { name: 'bare', label: 'bare listeners (same webRequest registrations, empty bodies)', extension: 'bare' },
  { name: 'lens', label: 'CORS Lens (default: records tabs with DevTools open; none is)', extension: 'lens' },
  { name: 'lens-all', label: 'CORS Lens set to record every tab', extension: 'lens', scope: 'all' },
  { name: 'none+devtools', label: 'no extension, DevTools open', extension: null, devtools: true },
  { name: 'bare+devtools', label: 'bare listeners, DevTools open', extension: 'bare', devtools: true },
  {
    name: 'lens+panel',
    label: 'CORS Lens, DevTools open on the CORS panel',
    extension: 'lens',
    devtools: true,
    panel: true,
  },
  // The alternative source while DevTools is open: DevTools' own log (onRequestFinished)
  // forwarded to the worker, no webRequest listener (bench/har-extension).
  {
    name: 'har+devtools',
    label: "DevTools' log forwarded to the worker (onRequestFinished, no webRequest listener), DevTools open",
    extension: 'har',
    devtools: true,
  },
];

export interface Scenario {
  name: 'burst' | 'realistic';
  label: string;
  n: number;
  concurrency: number;
  delayMs: number;
}
export const SCENARIOS: Scenario[] = [
  { name: 'burst', label: '1,000 fetches at once, instant local server', n: 1000, concurrency: 0, delayMs: 0 },
  {
    name: 'realistic',
    label: '1,000 fetches, 6 at a time, 20 ms server latency',
    n: 1000,
    concurrency: 6,
    delayMs: 20,
  },
];

export interface OverheadResult {
  rounds: number;
  runs: Record<string, Record<ConfigName, number[]>>; // scenario → config → ms per round
  /** CPU time of the whole browser (all its processes) per run, ms: scenario → config → per round. */
  cpu: Record<string, Record<ConfigName, Array<Record<string, number>>>>;
  cpuMedians: Record<string, Record<ConfigName, Record<string, number>>>;
  medians: Record<string, Record<ConfigName, number>>;
  ratios: Record<string, Record<string, { ofMedians: number; pairedMedian: number; perRound: number[] }>>;
  /**
   * CPU time of CORS Lens with its panel open over the bare listeners with DevTools open, per
   * process kind (extension = the extension's renderer: service worker and panel): scenario →
   * kind → median of per-round ratios.
   */
  cpuRatios: Record<string, Record<string, { pairedMedian: number; perRound: number[] }>>;
  failedPerRun: number;
}

interface Running {
  name: ConfigName;
  browser: BenchBrowser;
  page: Session;
}

async function open(c: Config, servers: BenchServers, bare: string): Promise<Running> {
  const name = c.name;
  const browser = await launch({
    extension:
      c.extension === 'bare'
        ? bare
        : c.extension === 'lens'
          ? join(ROOT, 'dist/chrome')
          : c.extension === 'har'
            ? join(ROOT, 'bench/har-extension')
            : c.extension,
    devtools: !!c.devtools,
  });
  if (c.panel) await showCorsPanel(browser, await devtoolsSession(browser));
  if (c.scope === 'all') {
    // As the options page does; then wait until the background listens to every tab. (The
    // debugger attached for this is detached again: it would keep the worker alive.)
    const sw = await attachWorker(browser);
    await recordEveryTab(sw);
    await browser.cdp.send('Target.detachFromTarget', { sessionId: sw.id });
  }
  const page = await browser.cdp.attach(browser.pageTarget);
  await page.send('Page.enable');
  const loaded = new Promise((r) => page.on('Page.loadEventFired', r));
  await page.send('Page.navigate', { url: `${servers.page}/` });
  await loaded;
  return { name, browser, page };
}

async function runOnce(
  r: Running,
  servers: BenchServers,
  s: Scenario,
  tag: string,
): Promise<{ ms: number; failed: number }> {
  return r.page.eval(
    `runBench(${JSON.stringify({ api: servers.api, n: s.n, concurrency: s.concurrency, delayMs: s.delayMs, tag })})`,
  );
}

export async function benchOverhead(opts: {
  rounds: number;
  log: (s: string) => void;
  configs?: Config[];
  scenarios?: Scenario[];
}): Promise<OverheadResult> {
  const servers = await startBenchServers(BENCH_PAGE);
  const bare = await buildBareExtension(ROOT);
  const configSpecs = opts.configs ?? CONFIGS;
  const configs = configSpecs.map((c) => c.name);
  const scenarios = opts.scenarios ?? SCENARIOS;
  const running: Running[] = [];
  try {
    for (const c of configSpecs) running.push(await open(c, servers, bare));
    // Warm-up: connections, JIT, the extension's first wake.
    for (const r of running)
      for (const s of scenarios) await runOnce(r, servers, { ...s, n: 200 }, `warm-${r.name}-${s.name}`);
    const runs: OverheadResult['runs'] = {};
    const cpu: OverheadResult['cpu'] = {};
    let failedPerRun = -1;
    for (const s of scenarios) {
      runs[s.name] = Object.fromEntries(configs.map((c) => [c, []]));
      cpu[s.name] = Object.fromEntries(configs.map((c) => [c, []]));
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (const s of scenarios) {
        // Rotate the order each round.
        const order = running.map((_, i) => running[(i + round) % running.length]!);
        for (const r of order) {
          await sleep(1000); // let the previous browser's after-work (e.g. log writes) finish
          const before = cpuByKind(r.browser.proc.pid!);
          const res = await runOnce(r, servers, s, `${round}-${r.name}-${s.name}`);
          await sleep(1000); // count the work the run caused after the page finished, too
          cpu[s.name]![r.name]!.push(cpuDelta(cpuByKind(r.browser.proc.pid!), before));
          failedPerRun = res.failed;
          runs[s.name]![r.name]!.push(res.ms);
        }
        opts.log(
          `  round ${round + 1}/${opts.rounds} ${s.name}: ${configs.map((c) => `${c} ${Math.round(runs[s.name]![c]!.at(-1)!)} ms (cpu ${cpu[s.name]![c]!.at(-1)!.total})`).join(', ')}`,
        );
      }
    }
    const medians: OverheadResult['medians'] = {};
    const cpuMedians: OverheadResult['cpuMedians'] = {};
    const ratios: OverheadResult['ratios'] = {};
    const pairs: Array<[string, ConfigName, ConfigName]> = [
      ...configSpecs
        .filter((c) => !CONFIGS.some((k) => k.name === c.name))
        .map((c): [string, string, string] => [`${c.name} / bare`, c.name, 'bare']),
      ['bare / none', 'bare', 'none'],
      ['lens / bare', 'lens', 'bare'],
      ['lens-all / bare', 'lens-all', 'bare'],
      ['lens-all / none', 'lens-all', 'none'],
      ['lens / none', 'lens', 'none'],
      ['lens+panel / bare+devtools', 'lens+panel', 'bare+devtools'],
      ['bare+devtools / none+devtools', 'bare+devtools', 'none+devtools'],
      ['har+devtools / none+devtools', 'har+devtools', 'none+devtools'],
      ['har+devtools / bare+devtools', 'har+devtools', 'bare+devtools'],
      ['lens+panel / none+devtools', 'lens+panel', 'none+devtools'],
      ['lens+panel / none', 'lens+panel', 'none'],
      ['none+devtools / none', 'none+devtools', 'none'],
    ];
    for (const s of scenarios) {
      const rs = runs[s.name]!;
      medians[s.name] = Object.fromEntries(configs.map((c) => [c, round(median(rs[c]!), 1)]));
      cpuMedians[s.name] = Object.fromEntries(
        configs.map((c) => {
          const per = cpu[s.name]![c]!;
          const kinds = [...new Set(per.flatMap((x) => Object.keys(x)))];
          return [c, Object.fromEntries(kinds.map((k) => [k, Math.round(median(per.map((x) => x[k] ?? 0)))]))];
        }),
      );
      ratios[s.name] = {};
      for (const [label, a, b] of pairs) {
        if (!configs.includes(a) || !configs.includes(b)) continue;
        const perRound = rs[a]!.map((x, i) => x / rs[b]![i]!);
        ratios[s.name]![label] = {
          ofMedians: round(median(rs[a]!) / median(rs[b]!), 3),
          pairedMedian: round(median(perRound), 3),
          perRound: perRound.map((x) => round(x, 3)),
        };
      }
    }
    const cpuRatios: OverheadResult['cpuRatios'] = {};
    if (configs.includes('lens+panel') && configs.includes('bare+devtools')) {
      for (const s of scenarios) {
        const a = cpu[s.name]!['lens+panel']!;
        const b = cpu[s.name]!['bare+devtools']!;
        const kinds = [...new Set([...a, ...b].flatMap((x) => Object.keys(x)))];
        cpuRatios[s.name] = Object.fromEntries(
          kinds.map((k) => {
            const perRound = a.map((x, i) => (x[k] ?? 0) / Math.max(1, b[i]![k] ?? 0));
            return [k, { pairedMedian: round(median(perRound), 3), perRound: perRound.map((x) => round(x, 3)) }];
          }),
        );
      }
    }
    return { rounds: opts.rounds, runs, medians, ratios, cpu, cpuMedians, cpuRatios, failedPerRun };
  } finally {
    for (const r of running) await r.browser.close();
    await servers.close();
  }
}
