// Origin facts the rules and causes need: whether a header value could be an origin, how close a
// wrong Access-Control-Allow-Origin is to the right one, secure contexts and address spaces.
import type { OriginDifference } from '../origin-difference';

export interface ParsedOrigin {
  scheme: string;
  host: string;
  /** Explicit port, or the scheme's default. */
  port: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

/** Parses an origin-like string ("scheme://host[:port][/...]"), or null. */
export function parseOriginLike(value: string): ParsedOrigin | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(value);
  if (!m) return null;
  const scheme = `${m[1]!.toLowerCase()}:`;
  const a = splitAuthority(m[2]!);
  if (!a) return null;
  const { host, port } = a;
  if (!host) return null;
  return { scheme, host: host.toLowerCase(), port: port || DEFAULT_PORTS[scheme] || '' };
}

/**
 * Splits an authority ("user@host:port") into host (IPv6 literals keep their brackets) and port.
 * Null for an unclosed "["; `junk` when something other than ":port" follows the "]".
 */
function splitAuthority(authority: string): { host: string; port: string; junk: boolean } | null {
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    if (end === -1) return null;
    const after = authority.slice(end + 1);
    return {
      host: authority.slice(0, end + 1),
      port: after.startsWith(':') ? after.slice(1) : '',
      junk: after !== '' && !after.startsWith(':'),
    };
  }
  const colon = authority.lastIndexOf(':');
  if (colon === -1) return { host: authority, port: '', junk: false };
  return { host: authority.slice(0, colon), port: authority.slice(colon + 1), junk: false };
}

const SPECIAL = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

/**
 * Whether Chromium's GURL would accept the value as a URL: what tells "invalid value" from
 * "mismatch" in Chromium's CheckAccess. Implemented here rather than with `URL.canParse`, whose
 * answer differs between engines (Firefox rejects "https://*.example.com", which GURL and V8 accept).
 */
export function isValidUrl(value: string): boolean {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):([\s\S]*)$/.exec(value);
  if (!m) return false;
  if (!SPECIAL.has(m[1]!.toLowerCase())) return true;
  const rest = m[2]!.replace(/^[/\\]+/, '');
  const a = splitAuthority(rest.split(/[/\\?#]/, 1)[0]!);
  if (!a || a.junk) return false;
  const { host, port } = a;
  if (host === '' || /[\u0000-\u0020#/:<>?@[\\\]^|\u007f]/.test(host.startsWith('[') ? '' : host)) return false;
  if (port !== '' && (!/^\d+$/.test(port) || Number(port) > 65535)) return false;
  return true;
}

/** The differences that make a near miss (their words: src/core/origin-difference.ts). */
export type NearMiss = Extract<
  OriginDifference,
  | 'trailing-slash'
  | 'path'
  | 'scheme'
  | 'port'
  | 'localhost-vs-127'
  | 'case'
  | 'whitespace'
  | 'default-port'
  | 'missing-scheme'
>;

/**
 * How an Access-Control-Allow-Origin value that names an origin differs from the request's
 * origin, when it is a near miss of it (the value the developer meant to write), else null.
 */
export function nearMiss(acao: string, origin: string): NearMiss | null {
  if (acao === origin || origin === 'null' || acao === '*' || acao === 'null') return null;
  const trimmed = acao.trim();
  if (trimmed === origin) return 'whitespace';
  if (trimmed.toLowerCase() === origin.toLowerCase()) return 'case';
  if (trimmed.replace(/\/+$/, '') === origin) return 'trailing-slash';
  const want = parseOriginLike(origin);
  if (!want) return null;
  const got = parseOriginLike(trimmed);
  if (!got) {
    // "localhost:3000" or "127.0.0.1:3000" without a scheme.
    const bare = parseOriginLike(`${want.scheme}//${trimmed}`);
    if (bare && sameHostFamily(bare.host, want.host) && bare.port === want.port) return 'missing-scheme';
    return null;
  }
  const rest = trimmed.slice(trimmed.indexOf('//') + 2);
  const hasPath = /[/?#]/.test(rest);
  if (got.scheme === want.scheme && got.host === want.host && got.port === want.port) {
    if (hasPath) return 'path';
    return 'default-port'; // e.g. "http://x:80" for "http://x"
  }
  if (got.host === want.host && got.port === want.port) return 'scheme';
  if (got.scheme === want.scheme && got.host === want.host) return 'port';
  if (got.scheme === want.scheme && got.port === want.port && isLoopbackName(got.host) && isLoopbackName(want.host))
    return 'localhost-vs-127';
  return null;
}

function sameHostFamily(a: string, b: string): boolean {
  return a === b || (isLoopbackName(a) && isLoopbackName(b));
}

export function isLoopbackName(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

/** https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy (for http(s) origins). */
export function isPotentiallyTrustworthy(origin: string): boolean {
  const o = parseOriginLike(origin);
  if (!o) return false;
  if (o.scheme === 'https:' || o.scheme === 'wss:') return true;
  return isLoopbackName(o.host);
}

export type AddressSpace = 'loopback' | 'local' | 'public' | 'unknown';

/** The Local Network Access address space of a host when it is an IP literal or localhost. */
export function addressSpaceOfHost(host: string): AddressSpace {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackName(h)) return 'loopback';
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    )
      return 'local';
    if (a === 0) return 'local';
    return 'public';
  }
  if (h.includes(':')) {
    if (/^f[cd]/.test(h) || /^fe[89ab]/.test(h)) return 'local';
    return 'public';
  }
  if (h.endsWith('.local') || h.endsWith('.internal') || h.endsWith('.lan') || h.endsWith('.home.arpa')) return 'local';
  return 'unknown';
}
