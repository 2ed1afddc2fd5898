// A counting reverse proxy on 127.0.0.1 in front of a real server: every request that reaches the
// server is recorded (method, path, headers) at the network boundary, whatever the stack.
import { createServer, request, type IncomingHttpHeaders } from 'node:http';

export interface ProxyHit {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface CountingProxy {
  port: number;
  hits: ProxyHit[];
  /** Points the proxy at another upstream port (after a server restart). */
  retarget(port: number): void;
  close(): Promise<void>;
}

export function countingProxy(upstreamPort: number): Promise<CountingProxy> {
  let upstream = upstreamPort;
  const hits: ProxyHit[] = [];
  const server = createServer((req, res) => {
    hits.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const up = request(
      { host: '127.0.0.1', port: upstream, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.rawHeaders);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        hits,
        retarget: (p) => (upstream = p),
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
