// Secrets out of every export by default. Reports are pasted into issues and chats, so credentials
// the browser sent or received (cookies, Authorization, API keys, signed-URL tokens) are replaced
// by a marker before any format sees the data. Redaction keeps what diagnosis needs: header and
// cookie *names*, Set-Cookie attributes (SameSite, Secure), the shape of a URL.
//
// Two passes: (1) redact by position (secret headers, cookie values, token-like query parameters,
// URL userinfo) and remember every value removed; (2) scrub any remaining occurrence of those
// values anywhere in the data (a token echoed in a Location, a fact, a failedParameter, …).
import type { LogEntry } from '../log';

export const REDACTED = '[REDACTED]';
/** The marker inside URLs: "[" and "]" are not allowed there (HAR tools check URLs are URIs). */
export const REDACTED_IN_URL = 'REDACTED';

export type RedactionKind = 'header' | 'cookie' | 'query' | 'userinfo';

export interface RedactionItem {
  kind: RedactionKind;
  /** Header name, cookie name or query parameter name as first seen ("password" for userinfo). */
  name: string;
  /** Occurrences replaced. */
  count: number;
}

export interface RedactionSummary {
  /** False when the user chose to include secrets (items then say what *would* have been removed). */
  enabled: boolean;
  marker: string;
  items: RedactionItem[];
}

/** Headers whose whole value is a credential. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'apikey',
  'x-apikey',
  'x-auth',
  'x-access-token',
  'x-amz-security-token',
  'x-goog-api-key',
  'x-csrf-token',
  'x-xsrf-token',
]);
/** API-key-like names: X-Auth-Token, X-Client-Secret, Stripe-Signature, X-Session-Id, … */
const SECRET_HEADER_SUFFIX =
  /(^|[-_])(token|key|apikey|secret|password|passwd|pwd|signature|sig|session|session-id|sessionid|auth|credential|credentials|jwt)$/i;
/** Headers whose value is (or contains) a URL: redact its query, keep the rest. */
const URL_HEADERS = new Set(['location', 'referer', 'content-location', 'origin', 'refresh', 'link']);
/** A credential scheme in any header value. */
const AUTH_SCHEME = /^\s*(bearer|basic|digest|token|negotiate|ntlm|aws4-hmac-sha256|hoba|mutual)\s+\S/i;

const SECRET_PARAMS = new Set([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth',
  'authorization',
  'auth_token',
  'key',
  'api_key',
  'apikey',
  'api-key',
  'sig',
  'signature',
  'code',
  'password',
  'passwd',
  'pwd',
  'pass',
  'secret',
  'client_secret',
  'session',
  'sessionid',
  'session_id',
  'sid',
  'jwt',
  'credential',
  'credentials',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'otp',
  'nonce',
  'state',
  'ticket',
]);
const SECRET_PARAM_SUFFIX = /[-_.](token|key|secret|signature|sig|password|passwd|code)$/i;

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  if (n.startsWith('access-control-')) return false; // CORS headers carry header names, never secrets
  return (
    n === 'cookie' || n === 'set-cookie' || n === 'set-cookie2' || SECRET_HEADERS.has(n) || SECRET_HEADER_SUFFIX.test(n)
  );
}

export function isSecretParam(name: string): boolean {
  return SECRET_PARAMS.has(name.toLowerCase()) || SECRET_PARAM_SUFFIX.test(name);
}

/** Values shorter than this are not scrubbed outside their own position (would mangle ordinary text). */
const MIN_SCRUB_LENGTH = 6;

class Redactor {
  readonly secrets = new Set<string>();
  private readonly items = new Map<string, RedactionItem>();

  note(kind: RedactionKind, name: string, value: string): void {
    const key = `${kind}\u0000${name.toLowerCase()}`;
    const item = this.items.get(key);
    if (item) item.count++;
    else this.items.set(key, { kind, name, count: 1 });
    this.remember(value);
  }

  remember(value: string): void {
    const v = value.trim();
    if (v.length >= MIN_SCRUB_LENGTH && v !== REDACTED && v !== REDACTED_IN_URL) this.secrets.add(v);
    // The decoded form too: a percent-encoded token may reappear decoded elsewhere.
    try {
      const d = decodeURIComponent(v.replace(/\+/g, ' '));
      if (d !== v && d.length >= MIN_SCRUB_LENGTH) this.secrets.add(d);
    } catch {
      /* not percent-encoded */
    }
  }

  summary(enabled: boolean): RedactionSummary {
    return { enabled, marker: REDACTED, items: [...this.items.values()] };
  }

  header(name: string, value: string): string {
    const n = name.toLowerCase();
    if (n === 'cookie') return this.cookieHeader(value);
    if (n === 'set-cookie' || n === 'set-cookie2') return this.setCookie(value);
    if (isSecretHeader(n)) {
      if (value === '') return value;
      this.note('header', name, value);
      // "Bearer abc": the token alone may be echoed elsewhere.
      const m = /^\s*\S+\s+(\S+)\s*$/.exec(value);
      if (m) this.remember(m[1]!);
      return REDACTED;
    }
    if (AUTH_SCHEME.test(value)) {
      this.note('header', name, value);
      return REDACTED;
    }
    // Location may be relative ("/callback?code=…"): its query is redacted all the same.
    if (URL_HEADERS.has(n)) return looksLikeUrl(value) ? this.urlsIn(value) : this.url(value);
    if (looksLikeUrl(value)) return this.urlsIn(value);
    return value;
  }

  /** `a=1; b=2` → `a=[REDACTED]; b=[REDACTED]`: names tell whether a session cookie was sent. */
  cookieHeader(value: string): string {
    return value
      .split(';')
      .map((part) => {
        const eq = part.indexOf('=');
        const name = (eq < 0 ? '' : part.slice(0, eq)).trim();
        const v = eq < 0 ? part.trim() : part.slice(eq + 1).trim();
        if (v === '') return part;
        this.note('cookie', name || '(unnamed)', v);
        return eq < 0 ? ` ${REDACTED}` : `${part.slice(0, eq + 1)}${REDACTED}`;
      })
      .join(';');
  }

  /** Only the value of Set-Cookie is secret; its attributes (SameSite, Secure, Domain) explain cookie problems. */
  setCookie(value: string): string {
    // Several cookies may be folded into one line by some browsers (joined with "\n").
    return value
      .split('\n')
      .map((line) => {
        const semi = line.indexOf(';');
        const pair = semi < 0 ? line : line.slice(0, semi);
        const rest = semi < 0 ? '' : line.slice(semi);
        const eq = pair.indexOf('=');
        const name = (eq < 0 ? '' : pair.slice(0, eq)).trim();
        const v = eq < 0 ? pair.trim() : pair.slice(eq + 1).trim();
        if (v === '') return line;
        this.note('cookie', name || '(unnamed)', v);
        return `${eq < 0 ? '' : pair.slice(0, eq + 1)}${REDACTED}${this.urlsIn(rest)}`;
      })
      .join('\n');
  }

  /** Redacts token-like query parameters and userinfo of every URL found in `text`. */
  urlsIn(text: string): string {
    return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s"'<>,;]*/gi, (u) => this.url(u));
  }

  url(url: string): string {
    let out = url;
    // userinfo: scheme://user:password@host — both parts may be a token.
    const ui = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i.exec(out);
    if (ui) {
      const info = ui[2]!;
      const colon = info.indexOf(':');
      const user = colon < 0 ? info : info.slice(0, colon);
      const pass = colon < 0 ? '' : info.slice(colon + 1);
      const parts: string[] = [];
      if (user) {
        this.note('userinfo', 'user name', user);
        parts.push(REDACTED_IN_URL);
      }
      if (colon >= 0) {
        if (pass) this.note('userinfo', 'password', pass);
        parts.push(pass ? REDACTED_IN_URL : '');
      }
      out = `${ui[1]}${parts.join(':')}@${out.slice(ui[0].length)}`;
    }
    const hash = out.indexOf('#');
    const q = out.indexOf('?');
    // Query string and fragment (OAuth puts access_token in the fragment) share one syntax.
    if (q >= 0 && (hash < 0 || q < hash)) {
      const end = hash < 0 ? out.length : hash;
      out = out.slice(0, q + 1) + this.params(out.slice(q + 1, end)) + out.slice(end);
    }
    const h = out.indexOf('#');
    if (h >= 0) out = out.slice(0, h + 1) + this.params(out.slice(h + 1));
    return out;
  }

  params(query: string): string {
    if (!query.includes('=')) return query;
    return query
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const raw = pair.slice(0, eq);
        let name = raw;
        try {
          name = decodeURIComponent(raw.replace(/\+/g, ' '));
        } catch {
          /* keep raw */
        }
        const value = pair.slice(eq + 1);
        if (value === '' || !isSecretParam(name)) return pair;
        this.note('query', name, value);
        return `${raw}=${REDACTED_IN_URL}`;
      })
      .join('&');
  }
}

function looksLikeUrl(s: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\//i.test(s);
}

function isHeaderList(v: unknown[]): v is Array<{ name: string; value: string }> {
  return (
    v.length > 0 &&
    v.every(
      (h) =>
        !!h &&
        typeof h === 'object' &&
        typeof (h as { name?: unknown }).name === 'string' &&
        typeof (h as { value?: unknown }).value === 'string',
    )
  );
}

/** Pass 1: a redacted deep copy (headers by name, URLs in every string). */
function redactTree(r: Redactor, v: unknown): unknown {
  if (Array.isArray(v)) {
    if (isHeaderList(v)) return v.map((h) => ({ ...h, name: h.name, value: r.header(h.name, h.value) }));
    return v.map((x) => redactTree(r, x));
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = redactTree(r, x);
    return out;
  }
  if (typeof v === 'string' && looksLikeUrl(v)) return r.urlsIn(v);
  return v;
}

/** Pass 2: every remaining occurrence of a removed value, anywhere. */
export function scrub<T>(v: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return v;
  // Longest first, so a token is not half-replaced by a shorter secret it contains.
  const list = [...secrets].sort((a, b) => b.length - a.length);
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') {
      const marker = /^[a-z][a-z0-9+.-]*:\/\/\S*$/i.test(x) ? REDACTED_IN_URL : REDACTED;
      let s = x;
      for (const secret of list) if (s.includes(secret)) s = s.split(secret).join(marker);
      return s;
    }
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, y] of Object.entries(x)) out[k] = walk(y);
      return out;
    }
    return x;
  };
  return walk(v) as T;
}

export interface Redacted {
  entries: LogEntry[];
  summary: RedactionSummary;
  /** Every value removed (for scrubbing derived text such as snippets). Empty when secrets are included. */
  secrets: ReadonlySet<string>;
}

/**
 * Redacted deep copies of `entries` (the originals are never modified). With `includeSecrets`
 * the entries are returned as they are, and the summary still lists what would have been removed.
 */
export function redactEntries(entries: readonly LogEntry[], opts: { includeSecrets?: boolean } = {}): Redacted {
  const r = new Redactor();
  const copies = entries.map((e) => redactTree(r, e) as LogEntry);
  if (opts.includeSecrets) return { entries: [...entries], summary: r.summary(false), secrets: new Set() };
  return { entries: scrub(copies, r.secrets), summary: r.summary(true), secrets: r.secrets };
}

/** Short text for the UI: "Cookie ×2 (session, theme), Authorization, ?token". */
export function describeRedaction(s: RedactionSummary): string {
  if (s.items.length === 0) return 'Nothing secret found';
  const label = (i: RedactionItem) =>
    i.kind === 'query'
      ? `?${i.name}`
      : i.kind === 'cookie'
        ? `cookie ${i.name}`
        : i.kind === 'userinfo'
          ? `URL ${i.name}`
          : i.name;
  return s.items.map((i) => (i.count > 1 ? `${label(i)} ×${i.count}` : label(i))).join(', ');
}
