// Replays a recorded event stream (test/fixtures/events/) through the same steps as the background
// pipeline: sort by timeStamp, normalize, link, diagnose.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnose } from '../../src/core/check';
import { Linker } from '../../src/core/linker';
import { normalizeEvent } from '../../src/core/normalize';
import type { EventKind, Exchange } from '../../src/core/types';
import type { Verdict } from '../../src/core/verdict';
import type { EventFixture, RecordedEvent } from '../fixtures/record';

export const EVENTS_DIR = resolve(import.meta.dirname, '../fixtures/events');

export function loadFixtures(browser: 'chrome' | 'firefox'): EventFixture[] {
  const dir = join(EVENTS_DIR, browser);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as EventFixture);
}

export function byTimeStamp(events: RecordedEvent[]): RecordedEvent[] {
  return [...events].sort((a, b) => (a.details.timeStamp as number) - (b.details.timeStamp as number) || a.seq - b.seq);
}

export interface Replayed {
  exchanges: Exchange[];
  verdicts: Verdict[];
  navigations: number;
}

/** Replays events (in the given order) and returns the scenario's exchanges with their verdicts. */
export function replay(browser: 'chrome' | 'firefox', events: RecordedEvent[], key: string): Replayed {
  const linker = new Linker({ browser });
  const seen = new Map<string, Exchange>();
  let navigations = 0;
  for (const e of events) {
    const res = linker.ingest(normalizeEvent(e.kind as EventKind, e.details));
    if (!res) continue;
    if (res.kind === 'navigation') navigations++;
    else seen.set(res.exchange.id, res.exchange);
  }
  const exchanges = [...seen.values()].filter((x) => x.url.includes(key) || x.hops.some((h) => h.url.includes(key)));
  return { exchanges, verdicts: exchanges.map(diagnose), navigations };
}
