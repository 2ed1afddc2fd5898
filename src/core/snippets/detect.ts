// Which server stack answered: ranked guesses from response headers (webRequest shows no bodies).
// Signals are fingerprints of defaults: Server / X-Powered-By values, and the exact header values
// CORS middlewares emit by default (e.g. Starlette lists Accept, Accept-Language,
// Content-Language, Content-Type in every preflight's Allow-Headers).
import { getHeader } from '../headers';
import type { LogEntry } from '../log';
import type { Header } from '../types';
import { STACK_IDS, type StackId } from './types';

export interface StackGuess {
  stack: StackId;
  /** Sum of signal weights; higher is more certain. */
  score: number;
  /** Why, for the tab tooltip: "Server: uvicorn". */
  reasons: string[];
}

type Rule = (h: (name: string) => string | null) => Array<[StackId, number, string]>;

const rules: Rule[] = [
  (h) => {
    const server = h('server');
    if (!server) return [];
    const s = server.toLowerCase();
    const why = `Server: ${server.slice(0, 60)}`;
    if (s.startsWith('uvicorn') || s.startsWith('hypercorn') || s.startsWith('daphne'))
      return [
        ['fastapi', 10, why],
        ['django', 2, why],
      ];
    if (s.startsWith('werkzeug')) return [['flask', 10, why]];
    if (s.startsWith('wsgiserver'))
      return [
        ['django', 8, why],
        ['flask', 2, why],
      ];
    if (s.startsWith('gunicorn') || s.startsWith('waitress'))
      return [
        ['django', 4, why],
        ['flask', 4, why],
        ['fastapi', 2, why],
      ];
    if (s.startsWith('nginx') || s.startsWith('openresty')) return [['nginx', 10, why]];
    if (s.startsWith('apache')) return [['apache', 10, why]];
    if (s.startsWith('caddy')) return [['caddy', 10, why]];
    if (s.startsWith('kestrel') || s.startsWith('microsoft-iis')) return [['aspnet', 10, why]];
    if (s.startsWith('puma') || s.startsWith('passenger') || s.startsWith('thin') || s.startsWith('unicorn'))
      return [['rails', 8, why]];
    if (s.includes('jetty') || s.includes('tomcat') || s.includes('undertow')) return [['spring', 6, why]];
    return [];
  },
  (h) => {
    const p = h('x-powered-by');
    if (!p) return [];
    const why = `X-Powered-By: ${p.slice(0, 60)}`;
    const s = p.toLowerCase();
    if (s.includes('next.js')) return [['nextjs', 12, why]];
    if (s.includes('express'))
      return [
        ['express', 10, why],
        ['nestjs', 5, why],
      ];
    if (s.includes('asp.net')) return [['aspnet', 10, why]];
    if (s.includes('phusion') || s.includes('rails')) return [['rails', 6, why]];
    return [];
  },
  (h) => (h('x-aspnet-version') || h('x-aspnetmvc-version') ? [['aspnet', 8, 'X-AspNet-Version']] : []),
  (h) => (h('x-runtime') ? [['rails', 6, 'X-Runtime (Rack)']] : []),
  (h) =>
    h('x-nextjs-cache') ||
    h('x-nextjs-prerender') ||
    h('x-middleware-rewrite') ||
    (h('vary') ?? '').toLowerCase().includes('next-router-state-tree')
      ? [['nextjs', 10, 'Next.js headers']]
      : [],
  (h) => {
    const vary = (h('vary') ?? '').toLowerCase().replace(/\s+/g, '');
    // Spring's DefaultCorsProcessor always adds exactly these three.
    return vary.includes('origin,access-control-request-method,access-control-request-headers')
      ? [['spring', 8, 'Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers (Spring)']]
      : [];
  },
  (h) =>
    h('x-frame-options') && h('referrer-policy') === 'same-origin' && h('cross-origin-opener-policy') === 'same-origin'
      ? [['django', 6, 'Django security headers (X-Frame-Options, Referrer-Policy, COOP)']]
      : [],
  (h) => {
    // Spring Security's default cache headers.
    return h('cache-control') === 'no-cache, no-store, max-age=0, must-revalidate' && h('expires') === '0'
      ? [['spring', 5, 'Spring Security cache headers']]
      : [];
  },
  (h) => {
    const ka = h('keep-alive') ?? '';
    // Fastify's default keepAliveTimeout is 72 s; Node's http server's is 5 s.
    if (/timeout=72\b/.test(ka)) return [['fastify', 6, 'Keep-Alive: timeout=72 (Fastify default)']];
    // Node's http server alone: Express, Koa, Hono and NestJS look alike ("Express-like" at best).
    const why = 'Keep-Alive: timeout=5 (a Node.js server: Express-like, no framework default seen)';
    if (/timeout=5\b/.test(ka))
      return [
        ['express', 2, why],
        ['koa', 2, why],
        ['hono', 1, why],
        ['nestjs', 1, why],
      ];
    return [];
  },
  // Node frameworks apart, from the defaults each one really sends (measured on the round-trip
  // servers, test/servers/): Express (and NestJS on it) sends X-Powered-By and an ETag with every
  // body; Koa and Hono send neither. A bare preflight answer (no body) tells the three apart by
  // nothing stable (Vary and header order depend on the request and the options), so it stays
  // the Node.js family guess above.
  (h) => {
    // Node's http server says exactly `timeout=5` and no Server (Apache says `timeout=5, max=100`).
    if (h('keep-alive')?.trim() !== 'timeout=5' || h('server') || h('x-powered-by')) return [];
    const type = h('content-type');
    const out: Array<[StackId, number, string]> = [];
    // Hono's c.json / c.text defaults: no charset on JSON, an upper-case UTF-8 on text.
    if (type === 'application/json' || (type && /; charset=UTF-8$/.test(type)))
      out.push(['hono', 5, `Content-Type: ${type} (Hono's default, not Express's or Koa's)`]);
    // Koa: JSON with a lower-case charset like Express, but without Express's ETag.
    else if (type === 'application/json; charset=utf-8' && !h('etag'))
      out.push(['koa', 3, "JSON without ETag or X-Powered-By (Koa's defaults, not Express's)"]);
    return out;
  },
  (h) => {
    const out: Array<[StackId, number, string]> = [];
    const acam = h('access-control-allow-methods');
    const acah = h('access-control-allow-headers');
    if (acam === 'GET,HEAD,PUT,PATCH,POST,DELETE')
      out.push(
        ['express', 6, 'Allow-Methods default of the cors package'],
        ['nestjs', 3, 'Allow-Methods default of the cors package'],
      );
    if (acam === 'GET,HEAD,PUT,POST,DELETE,PATCH') out.push(['koa', 5, 'Allow-Methods default of @koa/cors']);
    if (acam === 'GET,HEAD,PUT,POST,DELETE,PATCH,QUERY') out.push(['hono', 6, 'Allow-Methods default of hono/cors']);
    if (acam === 'GET,HEAD,POST') out.push(['fastify', 5, 'Allow-Methods default of @fastify/cors']);
    if (acam === 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT')
      out.push(['flask', 5, 'Allow-Methods default of flask-cors']);
    if (acam === 'DELETE, GET, OPTIONS, PATCH, POST, PUT')
      out.push(['django', 6, 'Allow-Methods default of django-cors-headers']);
    if (acah?.startsWith('Accept, Accept-Language, Content-Language, Content-Type'))
      out.push(['fastapi', 8, "Allow-Headers starts with Starlette's safelisted list"]);
    if (
      acah ===
        'accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with' ||
      acah?.startsWith(
        'accept, accept-encoding, authorization, content-type, dnt, origin, user-agent, x-csrftoken, x-requested-with',
      )
    )
      out.push(['django', 8, 'Allow-Headers default of django-cors-headers']);
    return out;
  },
];

/** Ranks stacks from one set of response headers. Only stacks with a signal are returned. */
export function detectFromHeaders(headers: readonly Header[] | undefined): StackGuess[] {
  const h = (name: string) => getHeader(headers, name);
  const byStack = new Map<StackId, StackGuess>();
  for (const rule of rules) {
    for (const [stack, score, reason] of rule(h)) {
      const g = byStack.get(stack) ?? { stack, score: 0, reasons: [] };
      g.score += score;
      if (!g.reasons.includes(reason)) g.reasons.push(reason);
      byStack.set(stack, g);
    }
  }
  return [...byStack.values()].sort(
    (a, b) => b.score - a.score || STACK_IDS.indexOf(a.stack) - STACK_IDS.indexOf(b.stack),
  );
}

/** Ranks stacks from every response of an exchange (preflights and hops). */
export function detectStacks(entry: Pick<LogEntry, 'exchange'>): StackGuess[] {
  const all = new Map<StackId, StackGuess>();
  const responses = [...entry.exchange.preflights.map((p) => p.hop), ...entry.exchange.hops];
  for (const hop of responses) {
    for (const g of detectFromHeaders(hop.responseHeaders)) {
      const cur = all.get(g.stack) ?? { stack: g.stack, score: 0, reasons: [] };
      // The same header on several responses is one signal, not several.
      for (const r of g.reasons) if (!cur.reasons.includes(r)) cur.reasons.push(r);
      cur.score = Math.max(cur.score, g.score);
      all.set(g.stack, cur);
    }
  }
  return [...all.values()].sort((a, b) => b.score - a.score || STACK_IDS.indexOf(a.stack) - STACK_IDS.indexOf(b.stack));
}

/** Tab order: the user's choice, then detected stacks by score, then the rest in default order. */
export function orderStacks(guesses: StackGuess[], preferred?: StackId | null): StackId[] {
  const out: StackId[] = [];
  if (preferred) out.push(preferred);
  for (const g of guesses) if (!out.includes(g.stack)) out.push(g.stack);
  for (const s of STACK_IDS) if (!out.includes(s)) out.push(s);
  return out;
}
