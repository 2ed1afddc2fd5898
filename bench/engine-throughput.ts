// Engine throughput in Node: linking (Linker) + verdict (diagnose) over synthetic Chromium and
// Firefox event streams, exactly as the background runs them (normalize → link → diagnose per
// changed exchange). Used when the engine's own bench/engine.ts is not present.
import { diagnose } from '../src/core/check';
import { Linker } from '../src/core/linker';
import { normalizeEvent } from '../src/core/normalize';
import { syntheticEvents } from './synthetic';
import { round } from './stats';

export interface EngineResult {
  source: string;
  exchangesPerSec: Record<string, number>;
  eventsPerSec: Record<string, number>;
  /** Mean JSON size of a log entry (exchange + verdict), bytes: what persistence has to store. */
  entryJsonBytes: Record<string, number>;
}

export function benchEngineThroughput(opts: { requests: number; repeats: number }): EngineResult {
  const out: EngineResult = {
    source: 'bench/engine-throughput.ts (Linker + diagnose)',
    exchangesPerSec: {},
    eventsPerSec: {},
    entryJsonBytes: {},
  };
  for (const browser of ['chrome', 'firefox'] as const) {
    const events = syntheticEvents({
      browser,
      firstId: 1,
      count: opts.requests,
      tabId: 1,
      pageOrigin: 'http://127.0.0.1:3000',
      apiOrigin: 'http://127.0.0.1:8000',
      t0: Date.now(),
    });
    let best = Infinity;
    let bytes = 0;
    for (let r = 0; r < opts.repeats; r++) {
      const linker = new Linker({ browser });
      let finished = 0;
      let sample = 0;
      const t0 = performance.now();
      for (const [kind, d] of events) {
        const res = linker.ingest(normalizeEvent(kind, d));
        if (res?.kind !== 'exchange') continue;
        const v = diagnose(res.exchange);
        if (res.exchange.state !== 'pending') {
          finished++;
          if (r === 0 && finished % 100 === 0) {
            bytes += JSON.stringify({ id: res.exchange.id, seq: 1, nav: 0, exchange: res.exchange, verdict: v }).length;
            sample++;
          }
        }
      }
      best = Math.min(best, performance.now() - t0);
      if (r === 0) out.entryJsonBytes[browser] = Math.round(bytes / Math.max(1, sample));
      if (finished !== opts.requests) throw new Error(`${browser}: ${finished} of ${opts.requests} exchanges finished`);
    }
    out.exchangesPerSec[browser] = round(opts.requests / (best / 1000), 0);
    out.eventsPerSec[browser] = round(events.length / (best / 1000), 0);
  }
  return out;
}
