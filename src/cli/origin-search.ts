// Which origin does the server accept? From a page the Origin cannot be changed; from here it can.
// When the page origin is rejected, near variants of it are sent as the Origin of the same first
// request (the preflight, or a GET) and every one the server answers with exactly that
// Access-Control-Allow-Origin is reported — the answer to "my allow list looks right, why is it
// blocked?" (docs: /work/shared/notes/evidence.md, "Only a varied Origin finds…").
import { headerValues } from '../core/headers';
import type { Header } from '../core/types';
import { send } from './http';

/** The dev-server ports people most often run a front end on. */
export const DEV_PORTS = [3000, 3001, 4200, 4173, 5173, 5174, 8000, 8080, 8081, 8888];
/** Upper bound on the requests one search sends. */
export const MAX_VARIANTS = 16;

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Near variants of an origin, most likely first: trailing slash, the other scheme, the other
 * loopback names, without the port, the common dev ports. Never the origin itself; at most MAX_VARIANTS.
 */
export function originVariants(origin: string): string[] {
  if (origin === 'null') return [];
  const u = new URL(origin);
  const scheme = u.protocol.slice(0, -1);
  const host = u.hostname; // IPv6 keeps its brackets
  const port = u.port;
  const at = (s: string, h: string, p: string) => `${s}://${h}${p ? `:${p}` : ''}`;
  const out: string[] = [`${origin}/`, at(scheme === 'http' ? 'https' : 'http', host, port)];
  if (LOOPBACK.includes(host)) for (const h of LOOPBACK) if (h !== host) out.push(at(scheme, h, port));
  if (port) out.push(at(scheme, host, ''));
  for (const p of DEV_PORTS) if (String(p) !== port) out.push(at(scheme, host, String(p)));
  return [...new Set(out)].filter((o) => o !== origin).slice(0, MAX_VARIANTS);
}

/** The first request of the probe, with the Origin to vary. */
export interface SearchRequest {
  url: string;
  method: string;
  headers: Header[];
  timeoutMs: number;
}

export interface SearchResult {
  accepted: string[];
  tried: string[];
  requests: number;
}

/** Accepted: Access-Control-Allow-Origin is exactly the Origin sent (and a preflight got an ok status). */
function accepts(variant: string, status: number, headers: Header[], preflight: boolean): boolean {
  const acao = headerValues(headers, 'access-control-allow-origin');
  if (acao.length !== 1 || acao[0]!.trim() !== variant) return false;
  return !preflight || (status >= 200 && status <= 299);
}

/** Sends the variants (a few at a time) and returns those the server accepts, in variant order. */
export async function searchAcceptedOrigin(origin: string, req: SearchRequest, concurrency = 4): Promise<SearchResult> {
  const variants = originVariants(origin);
  const ok = new Array<boolean>(variants.length).fill(false);
  const preflight =
    req.method === 'OPTIONS' && req.headers.some((h) => h.name.toLowerCase() === 'access-control-request-method');
  let next = 0;
  const worker = async () => {
    while (next < variants.length) {
      const i = next++;
      const v = variants[i]!;
      const headers = req.headers.map((h) => (h.name.toLowerCase() === 'origin' ? { name: h.name, value: v } : h));
      const res = await send({ url: req.url, method: req.method, headers, timeoutMs: req.timeoutMs });
      ok[i] = res.kind === 'response' && accepts(v, res.status, res.headers, preflight);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, variants.length) }, worker));
  return { accepted: variants.filter((_, i) => ok[i]), tried: variants, requests: variants.length };
}
