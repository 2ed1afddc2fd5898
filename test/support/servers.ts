// Real local HTTP servers for tests, the demo playground and benchmarks: a page origin and an API
// origin whose CORS behaviour is programmed per path. Both listen on 127.0.0.1, port 0.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** How the API answers one kind of request (the preflight or the actual request). */
export interface ResponseSpec {
  status?: number;
  /** Header lines in order; duplicates allowed. `{origin}` is replaced by the request's Origin. */
  headers?: Array<[string, string]>;
  body?: string;
  delayMs?: number;
  /** Close the connection without answering. */
  destroy?: boolean;
}

export interface RouteSpec {
  /** Answer to OPTIONS with Access-Control-Request-Method. Default: 404 without CORS headers. */
  preflight?: ResponseSpec;
  /** Answer to everything else. Default: 200 without CORS headers. */
  actual?: ResponseSpec;
}

export interface Hit {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  preflight: boolean;
  at: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

export interface ApiServer extends RunningServer {
  route(path: string, spec: RouteSpec): void;
  hits: Hit[];
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
}

function send(req: IncomingMessage, res: ServerResponse, spec: ResponseSpec): void {
  const go = () => {
    if (spec.destroy) {
      req.socket.destroy();
      return;
    }
    const origin = req.headers.origin ?? '';
    const raw: string[] = [];
    for (const [name, value] of spec.headers ?? []) raw.push(name, value.replaceAll('{origin}', origin));
    // writeHead with a flat array keeps duplicates and order exactly as programmed.
    res.writeHead(spec.status ?? 200, [...raw, 'Cache-Control', 'no-store']);
    res.end(spec.body ?? '');
  };
  if (spec.delayMs) setTimeout(go, spec.delayMs);
  else go();
}

/**
 * The API origin. Routes are matched by path (query ignored). A request to an unknown path can
 * carry its spec as `?spec=<JSON RouteSpec>` (used by the playground page).
 */
export interface ApiOptions {
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
}

export async function startApi(opts: ApiOptions = {}): Promise<ApiServer> {
  const routes = new Map<string, RouteSpec>();
  const hits: Hit[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    hits.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, preflight, at: Date.now() });
    req.resume();
    let spec = routes.get(url.pathname);
    const inline = url.searchParams.get('spec');
    if (!spec && inline) {
      try {
        spec = JSON.parse(inline) as RouteSpec;
      } catch {
        spec = undefined;
      }
    }
    if (preflight) send(req, res, spec?.preflight ?? { status: 404, body: 'no route' });
    else send(req, res, spec?.actual ?? { status: 200, body: 'ok' });
  };
  const server: Server = opts.tls
    ? (createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) as unknown as Server)
    : createServer(handler);
  const port = await listen(server);
  return {
    server,
    port,
    origin: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    route: (path, spec) => routes.set(path, spec),
    hits,
    close: closer(server),
  };
}

/** The page origin: serves fixed pages by path, with a default blank test page. */
export async function startPages(
  pages: Record<string, string> = {},
): Promise<RunningServer & { pages: Record<string, string> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const html = pages[url.pathname] ?? (url.pathname === '/' ? TEST_PAGE : undefined);
    if (html === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  const port = await listen(server);
  return { server, port, origin: `http://127.0.0.1:${port}`, pages, close: closer(server) };
}

/** A blank page tests drive with page.evaluate(fetch …). */
export const TEST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>CORS Lens test page</title></head>
<body><h1>CORS Lens test page</h1></body></html>`;
