// CPU profiles of CORS Lens's service worker and CORS panel during the burst (1,000 cross-origin
// fetches at once, DevTools open on the CORS panel): where the extension's time goes. Not part of
// `npm run bench` (the profiler perturbs what it measures); for finding causes.
//
//   npx tsx bench/profile.ts [--runs=3] [--top=25] [--out=bench-results/tmp/profile]
//
// Prints the top functions by self time for each target, and writes the .cpuprofile files
// (open them in DevTools' Performance panel).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachWorker, devtoolsSession, launch, panelSession, showCorsPanel, sleep, type Session } from './cdp';
import { SCENARIOS } from './overhead';
import { BENCH_PAGE, startBenchServers } from './server';
import { ROOT } from '../test/support/chromium';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (ms), heaviest first. */
export function topSelf(p: Profile, top: number): Array<{ fn: string; ms: number; pct: number }> {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byNode.get(p.samples[i]!)!;
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const f = n.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    const file = f.url.split('/').pop() ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10, pct: Math.round((ms / total) * 1000) / 10 }))
    .concat([{ fn: '(total busy)', ms: Math.round(total), pct: 100 }]);
}

async function main() {
  const args = new Map(
    process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0]!, a.split('=')[1] ?? 'true']),
  );
  const runs = Number(args.get('runs') ?? 3);
  const top = Number(args.get('top') ?? 25);
  const out = join(ROOT, args.get('out') ?? 'bench-results/tmp/profile');
  const scenario = SCENARIOS.find((s) => s.name === (args.get('scenario') ?? 'burst'))!;
  mkdirSync(out, { recursive: true });
  const servers = await startBenchServers(BENCH_PAGE);
  const b = await launch({ extension: join(ROOT, 'dist/chrome'), devtools: true });
  try {
    await showCorsPanel(b, await devtoolsSession(b));
    const panel = await panelSession(b);
    const sw = await attachWorker(b);
    const page = await b.cdp.attach(b.pageTarget);
    await page.send('Page.enable');
    const loaded = new Promise((r) => page.on('Page.loadEventFired', r));
    await page.send('Page.navigate', { url: `${servers.page}/` });
    await loaded;
    const run = (tag: string, n = scenario.n) =>
      page.eval(
        `runBench(${JSON.stringify({ api: servers.api, n, concurrency: scenario.concurrency, delayMs: scenario.delayMs, tag })})`,
      );
    await run('warm', 200);
    await sleep(1500);
    const targets: Array<[string, Session]> = [
      ['worker', sw],
      ['panel', panel],
    ];
    for (const [, s] of targets) {
      await s.send('Profiler.enable');
      await s.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    for (const [, s] of targets) await s.send('Profiler.start');
    const gcBefore = await Promise.all(targets.map(([, s]) => s.send('Runtime.getHeapUsage')));
    for (let i = 0; i < runs; i++) {
      const r = await run(`p${i}`);
      console.log(`run ${i + 1}: ${Math.round(r.ms)} ms`);
      await sleep(1000);
    }
    const gcAfter = await Promise.all(targets.map(([, s]) => s.send('Runtime.getHeapUsage')));
    for (const [i, [name, s]] of targets.entries()) {
      const { profile } = await s.send<{ profile: Profile }>('Profiler.stop');
      writeFileSync(join(out, `${name}.cpuprofile`), JSON.stringify(profile));
      const rows = topSelf(profile, top);
      console.log(
        `\n${name}: heap ${(gcBefore[i].usedSize / 2 ** 20).toFixed(1)} → ${(gcAfter[i].usedSize / 2 ** 20).toFixed(1)} MB`,
      );
      for (const r of rows) console.log(`  ${String(r.ms).padStart(8)} ms ${String(r.pct).padStart(5)}%  ${r.fn}`);
    }
  } finally {
    await b.close();
    await servers.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
