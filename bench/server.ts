// The benchmark's servers: a page origin serving the bench page, and an API origin whose answer
// depends on the path prefix (no per-request bookkeeping, so the server costs the same for every
// configuration):
//   /s/…   simple GET, allowed            /sf/…  simple GET, no Access-Control-Allow-Origin
//   /p/…   preflighted PUT, allowed       /pf/…  preflighted PUT, preflight answered 404
// `?d=MS` delays the answer (the realistic scenario's server latency).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BenchServers {
  page: string;
  api: string;
  close(): Promise<void>;
}

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

export async function startBenchServers(pageHtml: string): Promise<BenchServers> {
  const api = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const delay = q < 0 ? 0 : Number(/[?&]d=(\d+)/.exec(url)?.[1] ?? 0);
    const origin = req.headers.origin ?? '*';
    const preflight = req.method === 'OPTIONS';
    const kind = path.split('/')[1];
    const answer = () => {
      if (preflight) {
        if (kind === 'pf') res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no route');
        else
          res
            .writeHead(204, {
              'Access-Control-Allow-Origin': origin,
              'Access-Control-Allow-Methods': 'GET, PUT',
              'Access-Control-Allow-Headers': 'content-type',
              Vary: 'Origin',
            })
            .end();
        return;
      }
      req.resume();
      if (kind === 'sf') res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      else
        res
          .writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': origin, Vary: 'Origin' })
          .end('{"ok":true}');
    };
    if (delay) setTimeout(answer, delay);
    else answer();
  });
  const page = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(pageHtml);
  });
  api.keepAliveTimeout = 30_000;
  const [ap, pp] = await Promise.all([listen(api), listen(page)]);
  return {
    api: `http://127.0.0.1:${ap}`,
    page: `http://127.0.0.1:${pp}`,
    close: async () => {
      for (const s of [api, page]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(() => r(null)));
      }
    },
  };
}

/**
 * The page under test. `runBench({api, n, concurrency, delayMs, tag})` fires n cross-origin
 * fetches — half simple GETs, half preflighted PUTs, 10% failing CORS (half of those simple, half
 * on the preflight) — `concurrency` at a time (0 = all at once), and resolves with the wall time
 * in ms and how many failed. URLs are unique per run so no preflight is served from the cache.
 */
export const BENCH_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>CORS Lens bench</title></head><body>
<script>
function plan(api, n, delayMs, tag) {
  const reqs = [];
  for (let i = 0; i < n; i++) {
    const preflighted = i % 2 === 1;
    const fails = i % 20 === 4 || i % 20 === 9;
    const kind = preflighted ? (fails ? 'pf' : 'p') : (fails ? 'sf' : 's');
    const url = api + '/' + kind + '/' + i + '?t=' + tag + (delayMs ? '&d=' + delayMs : '');
    reqs.push(preflighted ? [url, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }] : [url, undefined]);
  }
  return reqs;
}
window.runBench = async ({ api, n, concurrency, delayMs, tag }) => {
  const reqs = plan(api, n, delayMs, tag);
  let failed = 0;
  const one = ([url, init]) => fetch(url, init).then((r) => r.text(), () => { failed++; });
  const t0 = performance.now();
  if (!concurrency) await Promise.all(reqs.map(one));
  else {
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < reqs.length) await one(reqs[next++]); }));
  }
  return { ms: performance.now() - t0, failed };
};
// Latency: failing requests one after another, spaced out, so each is measured on its own.
window.runFailures = async ({ api, n, gapMs, tag }) => {
  for (let i = 0; i < n; i++) {
    await fetch(api + '/sf/' + i + '?lat=' + tag + 'x' + i + 'z').catch(() => 0); // marker: r<tag>x<i>z
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return n;
};
</script></body></html>`;
