// Engine throughput on realistic traffic: the event streams recorded from real Chromium and Firefox
// (test/fixtures/events/, every scenario of the matrix: passes, preflights, failures, redirects,
// network errors) replayed many times with fresh request ids, tabs and timestamps, several requests
// in flight at once, through the same steps as the background pipeline.
//   npx tsx bench/engine.ts          prints the numbers
//   import { benchEngine } from './bench/engine'   (npm run bench)
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnose } from '../src/core/check';
import { Linker } from '../src/core/linker';
import { normalizeEvent } from '../src/core/normalize';
import type { BrowserName, EventKind, EventRecord, Exchange } from '../src/core/types';

export interface EngineBench {
  /** Exchanges linked per second (normalized events → Linker, no verdicts). */
  linkPerSec: number;
  /** Verdicts per second (diagnose on linked exchanges). */
  verdictPerSec: number;
  /** Exchanges per second through the whole pipeline: sort each batch, normalize, link, diagnose each changed exchange. */
  endToEndPerSec: number;
  exchanges: number;
  events: number;
}

interface Raw {
  kind: EventKind;
  details: Record<string, unknown>;
}

const EVENTS_DIR = resolve(import.meta.dirname, '../test/fixtures/events');

function templates(browser: BrowserName): Raw[][] {
  const dir = join(EVENTS_DIR, browser);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const fx = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        events: Array<{ kind: EventKind; details: Record<string, unknown> }>;
      };
      return fx.events.map((e) => ({ kind: e.kind, details: e.details }));
    })
    .filter((evs) => evs.length > 0);
}

/**
 * `copies` replays of the recorded scenarios, with ids, tabs and times shifted per copy, and
 * `inFlight` copies interleaved by time (concurrent requests on several tabs).
 */
function stream(browser: BrowserName, copies: number, inFlight = 8): Raw[] {
  const tpl = templates(browser);
  const out: Raw[] = [];
  let group: Raw[] = [];
  let base = 1e12;
  for (let i = 0; i < copies; i++) {
    const evs = tpl[i % tpl.length]!;
    const t0 = evs[0]!.details.timeStamp as number;
    const idShift = (i + 1) * 100_000;
    const tab = 1 + (i % 16);
    const start = base + (i % inFlight) * 0.3;
    for (const e of evs) {
      const d = { ...e.details };
      d.requestId = String(Number(d.requestId) + idShift);
      d.tabId = tab;
      d.timeStamp = start + ((d.timeStamp as number) - t0);
      group.push({ kind: e.kind, details: d });
    }
    if ((i + 1) % inFlight === 0 || i === copies - 1) {
      group.sort((a, b) => (a.details.timeStamp as number) - (b.details.timeStamp as number));
      out.push(...group);
      group = [];
      base += 100;
    }
  }
  return out;
}

/**
 * CPU milliseconds spent in `fn` (user + system): the machine may be shared with browsers and
 * other jobs, and "per second on one core" means per second of this process's own CPU time.
 */
function time(fn: () => void): number {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

function linkAll(browser: BrowserName, records: EventRecord[]): Exchange[] {
  const l = new Linker({ browser });
  const seen = new Map<string, Exchange>();
  for (const r of records) {
    const res = l.ingest(r);
    if (res?.kind === 'exchange') seen.set(res.exchange.id, res.exchange);
  }
  return [...seen.values()];
}

/** The background pipeline's work: batches sorted by timeStamp, normalized, linked, changed exchanges judged once per batch. */
function pipeline(browser: BrowserName, raw: Raw[], batchSize = 32): number {
  const l = new Linker({ browser });
  let verdicts = 0;
  for (let i = 0; i < raw.length; i += batchSize) {
    const batch = raw
      .slice(i, i + batchSize)
      .sort((a, b) => (a.details.timeStamp as number) - (b.details.timeStamp as number));
    const changed = new Map<string, Exchange>();
    for (const e of batch) {
      const res = l.ingest(normalizeEvent(e.kind, e.details));
      if (res?.kind === 'exchange') changed.set(res.exchange.id, res.exchange);
    }
    for (const ex of changed.values()) {
      diagnose(ex);
      verdicts++;
    }
    if (i % 4096 === 0) l.sweep((batch[batch.length - 1]!.details.timeStamp as number) ?? 0);
  }
  return verdicts;
}

export async function benchEngine(opts: { copies?: number; rounds?: number } = {}): Promise<EngineBench> {
  const copies = opts.copies ?? 12_000;
  const rounds = opts.rounds ?? 3;
  // Chrome and Firefox traffic in proportion to the recorded matrix.
  const raws = { chrome: stream('chrome', copies), firefox: stream('firefox', Math.round(copies * 0.5)) };
  const normalize = () => ({
    chrome: raws.chrome.map((e) => normalizeEvent(e.kind, e.details)),
    firefox: raws.firefox.map((e) => normalizeEvent(e.kind, e.details)),
  });
  const events = raws.chrome.length + raws.firefox.length;
  const first = normalize();
  const exchanges = linkAll('chrome', first.chrome).length + linkAll('firefox', first.firefox).length;

  let link = Infinity;
  let verdict = Infinity;
  let e2e = Infinity;
  for (let r = 0; r < rounds + 1; r++) {
    // Fresh records and exchanges every round: nothing cached from an earlier round.
    const records = normalize();
    let linked = { chrome: [] as Exchange[], firefox: [] as Exchange[] };
    const tl = time(() => {
      linked = { chrome: linkAll('chrome', records.chrome), firefox: linkAll('firefox', records.firefox) };
    });
    const tv = time(() => {
      for (const ex of linked.chrome) diagnose(ex);
      for (const ex of linked.firefox) diagnose(ex);
    });
    const te = time(() => {
      pipeline('chrome', raws.chrome);
      pipeline('firefox', raws.firefox);
    });
    if (r === 0) continue; // warm-up
    link = Math.min(link, tl);
    verdict = Math.min(verdict, tv);
    e2e = Math.min(e2e, te);
  }
  const perSec = (ms: number) => Math.round((exchanges / ms) * 1000);
  return { linkPerSec: perSec(link), verdictPerSec: perSec(verdict), endToEndPerSec: perSec(e2e), exchanges, events };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  benchEngine().then((r) => {
    console.log(
      `engine bench: ${r.exchanges} exchanges (${r.events} webRequest events) replayed from the recorded Chrome/Firefox streams; per second of CPU time on one core`,
    );
    console.log(`  linking:     ${r.linkPerSec.toLocaleString('en')} exchanges/s`);
    console.log(`  verdicts:    ${r.verdictPerSec.toLocaleString('en')} exchanges/s`);
    console.log(
      `  end to end:  ${r.endToEndPerSec.toLocaleString('en')} exchanges/s (normalize + link + diagnose per batch)`,
    );
    console.log(JSON.stringify(r));
  });
}
