// Probe and Retry across a worker restart: what the desk awaits is stored with the log, so a probe
// answered (or a retry finished) after the browser stopped and restarted the background still
// refines (or links) the original — and without the stored state it would be dropped.
import { describe, expect, it } from 'vitest';
import type { QueuedEvent } from '../../src/background/listen';
import { Pipeline } from '../../src/background/pipeline';
import { ProbeDesk } from '../../src/background/probes';
import { LogStore, MemoryBackend } from '../../src/background/store';
import { diagnose } from '../../src/core/check';
import type { LogEntry } from '../../src/core/log';

const PAGE = 'http://127.0.0.1:3000';
const URL = 'http://127.0.0.1:8000/api/items';
const TAB = 3;
let t = Date.now();
const ev = (
  kind: QueuedEvent[0],
  requestId: string,
  method: string,
  extra: Record<string, unknown> = {},
): QueuedEvent => [
  kind,
  {
    requestId,
    tabId: TAB,
    frameId: 0,
    url: URL,
    method,
    type: 'xmlhttprequest',
    timeStamp: t++,
    initiator: PAGE,
    ...extra,
  },
];
const hs = (...pairs: Array<[string, string]>) => pairs.map(([name, value]) => ({ name, value }));

async function boot(backend: MemoryBackend, withState = true) {
  const store = new LogStore(backend, { writeDelayMs: 5 });
  const pipeline = new Pipeline('chrome', store);
  pipeline.watched = () => true;
  const state = await store.restore();
  if (!withState) state.delete('probes');
  pipeline.resume(state, [], () => true);
  return { store, pipeline };
}

async function entries(run: { store: LogStore; pipeline: Pipeline }): Promise<LogEntry[]> {
  run.pipeline.settle();
  const out: LogEntry[] = [];
  for await (const c of run.store.entries(TAB)) out.push(...c);
  return out;
}

/** A simple GET blocked for a missing Allow-Origin (FastAPI with the origin not allowed looks like this). */
function blockedGet(id: string): QueuedEvent[] {
  return [
    ev('sendHeaders', id, 'GET', { requestHeaders: hs(['Origin', PAGE]) }),
    ev('headersReceived', id, 'GET', {
      statusCode: 200,
      responseHeaders: hs(['server', 'uvicorn'], ['content-type', 'application/json']),
    }),
    ev('errorOccurred', id, 'GET', { error: 'net::ERR_FAILED' }),
  ];
}

/** The probe as Chromium reports it when Starlette refuses the origin: its preflight (400), then the OPTIONS ends headerless. */
function probeEvents(): { before: QueuedEvent[]; after: QueuedEvent[] } {
  return {
    before: [
      ev('sendHeaders', '51', 'OPTIONS', {
        requestHeaders: hs(
          ['Origin', PAGE],
          ['Access-Control-Request-Method', 'OPTIONS'],
          ['Access-Control-Request-Headers', 'x-cors-lens-probe'],
        ),
      }),
    ],
    after: [
      ev('headersReceived', '51', 'OPTIONS', {
        statusCode: 400,
        responseHeaders: hs(
          ['server', 'uvicorn'],
          ['access-control-allow-methods', 'GET'],
          ['access-control-max-age', '600'],
          ['vary', 'Origin'],
        ),
      }),
      ev('completed', '51', 'OPTIONS', { statusCode: 400 }),
      ev('errorOccurred', '50', 'OPTIONS', { error: 'net::ERR_FAILED' }),
    ],
  };
}

describe('Probe and Retry across a worker restart', () => {
  for (const withState of [true, false]) {
    it(`a probe answered after the restart ${withState ? 'refines the original' : 'is dropped without the stored desk state (the control)'}`, async () => {
      const backend = new MemoryBackend();
      const a = await boot(backend);
      a.pipeline.ingest(blockedGet('40'));
      const [original] = await entries(a);
      expect(original!.verdict.cause).toMatchObject({ code: 'no-cors-config' });
      a.pipeline.probes.expectProbe(TAB, 'pRESTART', original!, 'same-origin');
      const probe = probeEvents();
      a.pipeline.ingest(probe.before);
      await a.pipeline.flush();

      const b = await boot(backend, withState);
      b.pipeline.ingest(probe.after);
      const all = await entries(b);
      expect(
        all.map((e) => e.id),
        'the probe is never an entry of its own',
      ).toEqual(['40']);
      if (withState) {
        expect(all[0]!.verdict.probe).toMatchObject({
          probeId: 'pRESTART',
          kind: 'origin-rejected',
          preflight: { statusCode: 400 },
        });
        expect(all[0]!.verdict.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'certain' });
        expect(b.pipeline.probes.size).toBe(0);
      } else {
        expect(all[0]!.verdict.probe).toBeUndefined();
      }
    });
  }

  it('a finding stored before the restart is still on the original after it (read back from the store)', async () => {
    const backend = new MemoryBackend();
    const a = await boot(backend);
    a.pipeline.ingest(blockedGet('40'));
    const [original] = await entries(a);
    a.pipeline.probes.expectProbe(TAB, 'pDONE', original!, 'same-origin');
    const probe = probeEvents();
    a.pipeline.ingest([...probe.before, ...probe.after]);
    await a.pipeline.flush();
    const b = await boot(backend);
    const [back] = await entries(b);
    expect(back!.verdict.probe).toMatchObject({ probeId: 'pDONE', kind: 'origin-rejected' });
    expect(back!.verdict.cause).toMatchObject({ code: 'origin-not-allowed', confidence: 'certain' });
  });

  it('a retry whose request straddles the restart is linked both ways', async () => {
    const backend = new MemoryBackend();
    const a = await boot(backend);
    a.pipeline.ingest(blockedGet('40'));
    const [original] = await entries(a);
    a.pipeline.probes.expectRetry(TAB, original!, 'GET', t);
    a.pipeline.ingest([ev('sendHeaders', '60', 'GET', { requestHeaders: hs(['Origin', PAGE]) })]);
    await a.pipeline.flush();

    const b = await boot(backend);
    b.pipeline.ingest([
      ev('headersReceived', '60', 'GET', {
        statusCode: 200,
        responseHeaders: hs(['access-control-allow-origin', PAGE]),
      }),
      ev('completed', '60', 'GET', { statusCode: 200 }),
    ]);
    await Promise.resolve(); // the original is updated right after the retry's own entry
    const all = await entries(b);
    expect(all.map((e) => e.id)).toEqual(['40', '60']);
    expect(all[1]!.verdict).toMatchObject({ outcome: 'pass', retryOf: '40' });
    expect(all[0]!.verdict.retry).toMatchObject({ id: '60', outcome: 'pass' });
  });

  it('restore ignores malformed, hostile and expired state', () => {
    const now = 1_000_000;
    const desk = new ProbeDesk(
      diagnose,
      (_ex, v) => ({ verdict: v }) as LogEntry,
      () => now,
    );
    for (const raw of [
      null,
      7,
      'x',
      { v: 2 },
      { v: 1, probes: 'no' },
      {
        v: 1,
        probes: [
          [1, {}],
          ['a', null],
        ],
        retries: [null, {}],
        retryOf: [[1]],
        originals: [null, { id: 3 }],
      },
    ]) {
      desk.restore(raw);
      expect(desk.size).toBe(0);
    }
    const e = { id: 'o1', seq: 1, nav: 0, exchange: { url: URL }, verdict: {} } as unknown as LogEntry;
    desk.restore({
      v: 1,
      originals: [e],
      probes: [
        ['old', { tabId: 1, url: URL, originalId: 'o1', since: now - 120_000 }],
        ['fresh', { tabId: 1, url: URL, originalId: 'o1', since: now - 1000 }],
        ['orphan', { tabId: 1, url: URL, originalId: 'nope', since: now }],
      ],
      retries: [],
      retryOf: [],
    });
    expect(desk.size).toBe(1);
    expect(desk.state().probes.map(([id]) => id)).toEqual(['fresh']);
    expect(desk.state().originals.map((o) => o.id)).toEqual(['o1']);
  });
});
