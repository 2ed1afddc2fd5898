// `npm run bench`: CORS Lens's benchmarks in real Chromium. Not a test: numbers, not pass/fail.
// Writes bench-results/latest.json and bench-results/latest.md, prints the ratios.
//
//   npm run bench                      all of it (~15 min on 2 cores)
//   npm run bench -- --only=overhead,latency --rounds=5
//   npm run bench -- --quick           fewer rounds/requests (a smoke run, not for the README)
//   npm run bench -- --only=overhead --configs=bare+devtools,lens+panel --scenarios=burst --rounds=3
//                                      some configurations / scenarios only (iterating)
//   npm run bench -- --only=panel --profile=bench-results/tmp/panel
//                                      CPU profiles of the worker and panel during the snapshot load (causes, not figures)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, ROOT } from '../test/support/chromium';
import { benchEngineThroughput, type EngineResult } from './engine-throughput';
import { benchLatency, type LatencyResult } from './latency';
import { benchMemoryReal, benchMemorySynthetic, type MemoryResult } from './memory';
import { benchOverhead, CONFIGS, SCENARIOS as ALL_SCENARIOS, type OverheadResult } from './overhead';
import { benchPanelScale, type PanelScaleResult } from './panel-scale';

const args = new Map(
  process.argv.slice(2).map((a) => [a.replace(/^--/, '').split('=')[0]!, a.split('=')[1] ?? 'true']),
);
const quick = args.has('quick');
const only = new Set((args.get('only') ?? 'overhead,latency,memory,panel,engine').split(','));
const rounds = Number(args.get('rounds') ?? (quick ? 2 : 7));
const log = (s: string) => console.log(s);

if (!existsSync(join(ROOT, 'dist/chrome/manifest.json'))) {
  console.error('dist/chrome missing: run npm run build first');
  process.exit(1);
}

export interface BenchReport {
  date: string;
  machine: {
    cpu: string;
    cores: number;
    memGB: number;
    loadBefore: number[];
    loadAfter: number[];
    chromium: string;
    node: string;
  };
  quick: boolean;
  overhead?: OverheadResult;
  latency?: LatencyResult;
  memory?: MemoryResult[];
  panel?: PanelScaleResult;
  engine?: EngineResult & { engineBench?: unknown; endToEndPerSecond?: number };
}

const report: BenchReport = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGB: Math.round(totalmem() / 2 ** 30),
    loadBefore: loadavg().map((x) => Math.round(x * 100) / 100),
    loadAfter: [],
    chromium: execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    node: process.version,
  },
  quick,
};
void freemem;

if (only.has('engine')) {
  log('Engine throughput (linking + verdict)…');
  report.engine = benchEngineThroughput({ requests: quick ? 5000 : 50_000, repeats: 5 });
  // The engine's own benchmark, when it has landed.
  const engineBench = join(ROOT, 'bench/engine.ts');
  if (existsSync(engineBench)) {
    const mod = (await import(engineBench)) as { benchEngine?: () => unknown };
    if (typeof mod.benchEngine === 'function') {
      report.engine.engineBench = await mod.benchEngine();
      // The goal's figure: recorded real-browser traffic through normalize + link + diagnose.
      report.engine.endToEndPerSecond = (report.engine.engineBench as { endToEndPerSec: number }).endToEndPerSec;
    }
  }
}
if (only.has('overhead')) {
  log(`Page overhead, ${rounds} rounds…`);
  const pick = <T extends { name: string }>(all: T[], key: string) => {
    const names = args.get(key)?.split(',');
    if (!names) return all;
    const unknown = names.filter((n) => !all.some((x) => x.name === n));
    if (unknown.length)
      throw new Error(`--${key}: unknown ${unknown.join(', ')} (known: ${all.map((x) => x.name).join(', ')})`);
    return all.filter((x) => names.includes(x.name));
  };
  report.overhead = await benchOverhead({
    rounds,
    log,
    configs: pick(CONFIGS, 'configs'),
    scenarios: pick(ALL_SCENARIOS, 'scenarios'),
  });
}
if (only.has('latency')) {
  log('Failure → row latency…');
  report.latency = await benchLatency({ failures: quick ? 50 : 250, gapMs: 30, log });
}
if (only.has('memory')) {
  log('Service-worker memory…');
  const checkpoints = quick ? [10_000, 20_000] : [10_000, 20_000, 50_000, 100_000];
  report.memory = [
    await benchMemorySynthetic({ tabs: 10, checkpoints, log }),
    await benchMemorySynthetic({ tabs: 1, checkpoints, log }),
    await benchMemoryReal({ checkpoints: quick ? [2000] : [5000, 10_000, 20_000], log }),
  ];
}
if (only.has('panel')) {
  log('Panel scale…');
  report.panel = await benchPanelScale({
    entries: quick ? 10_000 : 100_000,
    log,
    profile: args.has('profile') ? join(ROOT, args.get('profile')!) : undefined,
  });
}
report.machine.loadAfter = loadavg().map((x) => Math.round(x * 100) / 100);

const out = args.has('out') ? join(ROOT, args.get('out')!) : join(ROOT, 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
const md = markdown(report);
writeFileSync(join(out, 'latest.md'), md);
console.log('\n' + md);
console.log(`Wrote ${join(out, 'latest.json')} and latest.md`);

function markdown(r: BenchReport): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(
    `Measured ${r.date.slice(0, 10)} on ${m.cores} × ${m.cpu}, ${m.memGB} GB, ${m.chromium}, Node ${m.node}; load average ${m.loadBefore[0]} → ${m.loadAfter[0]} (the machine is shared${r.quick ? '; QUICK run' : ''}).`,
    '',
  );
  const status = (ok: boolean) => (ok ? '✅ met' : '❌ missed');
  if (r.overhead) {
    const o = r.overhead;
    const SCENARIOS = ALL_SCENARIOS.filter((s) => s.name in o.medians);
    const first = SCENARIOS[0]!.name;
    lines.push(
      `### Page overhead (wall time of one page's 1,000 cross-origin fetches; median of ${o.rounds} alternated rounds)`,
      '',
    );
    lines.push(
      `| configuration | ${SCENARIOS.map((s) => s.label).join(' | ')} |`,
      `|---|${SCENARIOS.map(() => '---:').join('|')}|`,
    );
    for (const c of CONFIGS) {
      if (!(c.name in (o.medians[first] ?? {}))) continue;
      lines.push(
        `| ${c.label} | ${SCENARIOS.map((s) => `${Math.round(o.medians[s.name]![c.name]!)} ms (CPU ${(o.cpuMedians[s.name]![c.name]!.total! / 1000).toFixed(1)} s)`).join(' | ')} |`,
      );
    }
    lines.push(
      '',
      '| ratio (median of per-round ratios) | ' + SCENARIOS.map((s) => s.name).join(' | ') + ' | goal |',
      `|---|${SCENARIOS.map(() => '---:').join('|')}|---|`,
    );
    const goals: Record<string, [string, (burst: number, realistic: number) => string]> = {
      'bare / none': ['(a) report', () => 'reported'],
      'lens-all / bare': ['(b) ≤ 1.05 × (same listeners: every tab)', (b, re) => status(b <= 1.05 && re <= 1.05)],
      'lens / none': ['(c) realistic ≤ 1.03 × (default scope, no DevTools open)', (_b, re) => status(re <= 1.03)],
      'lens-all / none': ['recording every tab', () => 'reported'],
      'lens+panel / bare+devtools': [
        '≤ 1.05 × (panel open, vs the bare listeners with DevTools open)',
        (b, re) => status(b <= 1.05 && re <= 1.05),
      ],
      'bare+devtools / none+devtools': ['the listeners, DevTools open', () => 'reported'],
      'har+devtools / none+devtools': ["DevTools' log as the source, DevTools open", () => 'reported'],
      'har+devtools / bare+devtools': ["DevTools' log vs the webRequest listeners, DevTools open", () => 'reported'],
      'lens+panel / none+devtools': ['panel open, vs DevTools open without extension', () => 'reported'],
      'lens+panel / none': ['panel open, vs nothing', () => 'reported'],
      'none+devtools / none': ['DevTools itself', () => 'reported'],
    };
    for (const [label, [goal, judge]] of Object.entries(goals)) {
      const vals = SCENARIOS.map((s) => o.ratios[s.name]?.[label]?.pairedMedian);
      if (vals.some((v) => v === undefined)) continue;
      const b = o.ratios.burst?.[label]?.pairedMedian ?? 1;
      const re = o.ratios.realistic?.[label]?.pairedMedian ?? 1;
      lines.push(`| ${label} | ${vals.map((v) => v!.toFixed(3)).join(' | ')} | ${goal}: ${judge(b, re)} |`);
    }
    if (o.cpuRatios && Object.keys(o.cpuRatios).length) {
      const kinds = ['extension', 'browser', 'network', 'renderer', 'total'];
      lines.push(
        '',
        `CPU by process kind, DevTools open (median ms; extension = the extension's renderer: service worker and panel):`,
        '',
      );
      lines.push(
        `| scenario | configuration | ${kinds.join(' | ')} |`,
        `|---|---|${kinds.map(() => '---:').join('|')}|`,
      );
      for (const s of SCENARIOS) {
        if (!o.cpuRatios[s.name]) continue;
        for (const c of ['none+devtools', 'bare+devtools', 'har+devtools', 'lens+panel'].filter(
          (x) => o.cpuMedians[s.name]![x],
        ))
          lines.push(`| ${s.name} | ${c} | ${kinds.map((k) => o.cpuMedians[s.name]![c]![k] ?? 0).join(' | ')} |`);
        lines.push(
          `| ${s.name} | ratio (paired median) | ${kinds.map((k) => (o.cpuRatios[s.name]![k]?.pairedMedian ?? NaN).toFixed(2)).join(' | ')} |`,
        );
      }
      const ext = SCENARIOS.map((s) => o.cpuRatios[s.name]?.extension?.pairedMedian).filter((x) => x !== undefined);
      lines.push(
        '',
        `Goal: the extension's processes ≤ 1.5 × the bare listeners' with the panel open: ${status(ext.length > 0 && ext.every((x) => x! <= 1.5))}.`,
      );
    }
    lines.push(
      '',
      `Every run had ${o.failedPerRun} failing fetches (10%). CPU = all processes of that browser, from the run's start to 1 s after it.`,
      '',
    );
  }
  if (r.latency) {
    const l = r.latency;
    lines.push('### Failure → row in the real DevTools CORS panel', '');
    lines.push('| | min | p50 | p95 | max | goal |', '|---|---:|---:|---:|---:|---|');
    lines.push(
      `| row painted (next frame after it entered the DOM) | ${l.paint.min} ms | ${l.paint.p50} ms | ${l.paint.p95} ms | ${l.paint.max} ms | p95 ≤ 50 ms: ${status(l.paint.p95 <= 50)} |`,
    );
    lines.push(`| row in the DOM | ${l.dom.min} ms | ${l.dom.p50} ms | ${l.dom.p95} ms | ${l.dom.max} ms | |`);
    lines.push(
      '',
      `${l.measured} of ${l.failures} blocked fetches, one every ${l.gapMs} ms; from CDP Network.loadingFailed on the page. ${l.beforeFailure} rows were in the DOM before the browser's failure event (the verdict comes from the response headers). Panel clock vs Date.now(): ${l.clockSkewMs.join(' / ')} ms.`,
      '',
    );
  }
  if (r.memory) {
    lines.push('### Service-worker memory (JS heap after GC, CDP Runtime.getHeapUsage)', '');
    lines.push(
      '| method | baseline | ' + r.memory[0]!.points.map((p) => `${p.requests / 1000}k`).join(' | ') + ' |',
      '|---|---:|' + r.memory[0]!.points.map(() => '---:').join('|') + '|',
    );
    for (const mem of r.memory) {
      const cells = r.memory[0]!.points.map((p0) => {
        const p = mem.points.find((x) => x.requests === p0.requests);
        return p ? `${p.heapMB} MB (${p.entries / 1000}k kept)` : '—';
      });
      lines.push(`| ${mem.method} | ${mem.baselineMB} MB | ${cells.join(' | ')} |`);
    }
    const top = r.memory[0]!.points.at(-1)!;
    lines.push(
      '',
      `Goal ≤ 25 MB after ${top.requests / 1000}k requests: ${status(r.memory.every((x) => x.points.every((p) => p.heapMB <= 25)))}. Entries live in IndexedDB; memory keeps ~${Math.round(((top.heapMB - r.memory[0]!.points[0]!.heapMB) * 2 ** 20) / (top.entries - r.memory[0]!.points[0]!.entries))} bytes of index per logged entry, and nothing per entry beyond the cap (one tab: flat).`,
      '',
    );
  }
  if (r.panel) {
    const p = r.panel;
    lines.push(
      `### Panel with ${p.entries.toLocaleString('en')} entries (${p.blocked.toLocaleString('en')} blocked)`,
      '',
    );
    lines.push(
      '| first row painted | snapshot fully rendered | scroll frames p50 / p95 / max (over 50 ms) | rows in DOM |',
      '|---:|---:|---|---:|',
    );
    lines.push(
      `| ${p.firstRowPaintMs} ms (${p.fromShowMs} ms from selecting the tab) | ${p.settledMs} ms | ${p.scroll.p50} / ${p.scroll.p95} / ${p.scroll.max} ms (${p.scroll.over50} of ${p.scroll.frames}) | ${p.rowsInDom} |`,
      '',
    );
    lines.push(
      `Goals: first row ≤ 300 ms: ${status(p.firstRowPaintMs <= 300)}; fully loaded ≤ 2 s: ${status(p.settledMs <= 2000)}. Last snapshot message at ${p.lastMessageMs} ms (of ${p.messages} counted).`,
      '',
    );
  }
  if (r.engine) {
    const e = r.engine;
    lines.push('### Engine (Node, one core)', '');
    lines.push('| | Chromium event order | Firefox event order |', '|---|---:|---:|');
    lines.push(
      `| exchanges/s, linking + verdict | ${e.exchangesPerSec.chrome!.toLocaleString('en')} | ${e.exchangesPerSec.firefox!.toLocaleString('en')} |`,
    );
    lines.push(
      `| events/s | ${e.eventsPerSec.chrome!.toLocaleString('en')} | ${e.eventsPerSec.firefox!.toLocaleString('en')} |`,
    );
    lines.push(`| log entry size (JSON) | ${e.entryJsonBytes.chrome} B | ${e.entryJsonBytes.firefox} B |`, '');
    const eb = e.engineBench as
      { linkPerSec: number; verdictPerSec: number; endToEndPerSec: number; exchanges: number } | undefined;
    if (eb) {
      lines.push(
        `On the event streams recorded from real Chromium and Firefox (bench/engine.ts, ${eb.exchanges.toLocaleString('en')} exchanges, every matrix scenario): linking ${Math.round(eb.linkPerSec).toLocaleString('en')}/s, verdicts ${Math.round(eb.verdictPerSec).toLocaleString('en')}/s, end to end ${Math.round(eb.endToEndPerSec).toLocaleString('en')} exchanges/s (goal ≥ 100,000: ${status(eb.endToEndPerSec >= 100_000)}).`,
        '',
      );
    }
  }
  return lines.join('\n') + '\n';
}
