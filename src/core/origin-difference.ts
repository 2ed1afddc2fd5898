// How an Access-Control-Allow-Origin value differs from the request's origin: the kinds of
// difference and the one text table that words them, for the panel's side-by-side notes and the
// "origin-typo" cause alike. The CORS check compares the serialized origin byte for byte
// (https://fetch.spec.whatwg.org/#cors-check step 7), so every difference counts.
import { nearMiss } from './fetch/origin';

export type OriginDifference =
  | 'trailing-slash'
  | 'path'
  | 'scheme'
  | 'host'
  | 'localhost-vs-127'
  | 'port'
  | 'default-port'
  | 'case'
  | 'whitespace'
  | 'missing-scheme'
  | 'null'
  | 'wildcard'
  | 'multiple'
  | 'other';

/** An origin-like value split into its parts, surrounding whitespace kept apart. */
export interface OriginParts {
  lead: string;
  scheme: string;
  sep: string;
  host: string;
  /** ":port" as written, or "". */
  port: string;
  rest: string;
  trail: string;
}

// scheme "://" host [":" port] [anything else], with surrounding whitespace kept apart.
const ORIGINISH = /^(\s*)([A-Za-z][A-Za-z0-9+.-]*)(:\/\/)(\[[^\]]*\]|[^/:?#\s]*)(:[0-9]*)?(.*?)(\s*)$/s;

export function originParts(s: string): OriginParts | null {
  const m = ORIGINISH.exec(s);
  if (!m) return null;
  return { lead: m[1]!, scheme: m[2]!, sep: m[3]!, host: m[4]!, port: m[5] ?? '', rest: m[6]!, trail: m[7]! };
}

function portText(p: OriginParts | null): string {
  if (!p) return '?';
  return p.port ? `port ${p.port.slice(1)}` : `the default port`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
function isLoopbackPair(a?: string, b?: string): boolean {
  return !!a && !!b && LOOPBACK.has(a) && LOOPBACK.has(b) && a !== b;
}

/** The one text table: a clause (lower-case, no final stop) per kind; `page`/`allowed` make it specific. */
const TEXT: Record<OriginDifference, (page: OriginParts | null, allowed: OriginParts | null) => string> = {
  'trailing-slash': () => 'it ends with a slash; an origin never has a path, not even "/"',
  path: (_p, a) => `it carries a path${a?.rest ? ` ("${a.rest}")` : ''}; an origin is only scheme://host:port`,
  scheme: (p, a) =>
    p && a
      ? `the scheme differs: the page is ${p.scheme}, the server allows ${a.scheme}`
      : 'the scheme differs (http vs https)',
  host: (p, a) =>
    isLoopbackPair(p?.host, a?.host)
      ? `${p!.host} and ${a!.host} are different origins, even though both reach this machine`
      : `the host differs: the page is ${p?.host ?? '?'}, the server allows ${a?.host ?? '?'}`,
  'localhost-vs-127': (p, a) =>
    isLoopbackPair(p?.host, a?.host)
      ? TEXT.host(p, a)
      : 'localhost and 127.0.0.1 are different origins, even on the same port',
  port: (p, a) =>
    p && a ? `the port differs: the page is on ${portText(p)}, the server allows ${portText(a)}` : 'the port differs',
  'default-port': () => 'it spells out the default port, which the browser leaves out, so the strings differ',
  case: () =>
    'the letters differ in case; the comparison is exact, so send the origin as the browser does (lower-case)',
  whitespace: () => 'it has extra spaces around it',
  'missing-scheme': () => 'it has no scheme (http:// or https://)',
  null: () => 'the server allows the origin "null" (sandboxed or file pages), not this page',
  wildcard: () => 'the server allows "*", which does not count when the request carries credentials',
  multiple: () => 'the server sends several origins; only one value is allowed',
  other: () => 'the allowed value is not the page origin',
};

/** The clause for one difference between the page's origin and the allowed value. */
export function differenceText(kind: OriginDifference, page: string, allowed: string): string {
  return TEXT[kind](originParts(page), originParts(allowed));
}

/** The same as a sentence (the panel's notes). */
export function differenceSentence(kind: OriginDifference, page: string, allowed: string): string {
  const t = differenceText(kind, page, allowed);
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}.`;
}

/** When `sent` is a near miss of `origin` (the value the developer meant to write), how it differs. */
export function describeOriginDifference(sent: string, origin: string): string | null {
  const m = nearMiss(sent, origin);
  return m ? differenceText(m, origin, sent) : null;
}
