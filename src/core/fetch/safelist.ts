// Which requests need a CORS preflight: CORS-safelisted methods and request headers, as the
// Fetch standard defines them and Chromium implements them (services/network/public/cpp/cors/cors.cc).
import type { Header } from '../types';
import { memo } from '../headers';
import { asciiLower, trimOws } from './tokens';

/** https://fetch.spec.whatwg.org/#cors-safelisted-method (Chromium compares upper-cased). */
export function isSafelistedMethod(method: string): boolean {
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' || m === 'POST';
}

/** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte */
export function isCorsUnsafeByte(c: number): boolean {
  return (
    (c < 0x20 && c !== 0x09) ||
    c === 0x22 ||
    c === 0x28 ||
    c === 0x29 ||
    c === 0x3a ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x3f ||
    c === 0x40 ||
    c === 0x5b ||
    c === 0x5c ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x7d ||
    c === 0x7f
  );
}

function firstUnsafeByte(value: string): number {
  for (let i = 0; i < value.length; i++) if (isCorsUnsafeByte(value.charCodeAt(i))) return i;
  return -1;
}

/** The three Content-Type essences a simple request may send. */
export const SAFELISTED_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
] as const;

/** The MIME essence of a Content-Type value (type/subtype, lower-cased), or null if unparsable. */
export function mimeEssence(value: string): string | null {
  const semi = value.indexOf(';');
  const essence = trimOws(semi === -1 ? value : value.slice(0, semi)).toLowerCase();
  const slash = essence.indexOf('/');
  if (slash <= 0 || slash === essence.length - 1 || essence.indexOf('/', slash + 1) !== -1) return null;
  return essence;
}

/** Why a header (name, value) is not CORS-safelisted, or null when it is. */
export function unsafeReason(lowerName: string, value: string): string | null {
  // Chromium checks the length first, for every name.
  if (value.length > 128) return `its value is ${value.length} bytes (safelisted values are at most 128)`;
  switch (lowerName) {
    case 'accept': {
      const i = firstUnsafeByte(value);
      return i === -1 ? null : `its value contains the CORS-unsafe byte ${describeByte(value.charCodeAt(i))}`;
    }
    case 'accept-language':
    case 'content-language': {
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        const ok =
          (c >= 0x30 && c <= 0x39) ||
          (c >= 0x41 && c <= 0x5a) ||
          (c >= 0x61 && c <= 0x7a) ||
          c === 0x20 ||
          c === 0x2a ||
          c === 0x2c ||
          c === 0x2d ||
          c === 0x2e ||
          c === 0x3b ||
          c === 0x3d;
        if (!ok) return `its value contains ${describeByte(c)}, not allowed in a safelisted ${lowerName}`;
      }
      return null;
    }
    case 'content-type': {
      const lower = value.toLowerCase();
      const i = firstUnsafeByte(lower);
      if (i !== -1) return `its value contains the CORS-unsafe byte ${describeByte(lower.charCodeAt(i))}`;
      const essence = mimeEssence(lower);
      if (essence === null || !(SAFELISTED_CONTENT_TYPES as readonly string[]).includes(essence)) {
        return `its value "${essence ?? value}" is not one of ${SAFELISTED_CONTENT_TYPES.join(', ')}`;
      }
      return null;
    }
    case 'range':
      return isSimpleRange(value) ? null : 'it is not a single "bytes=start-[end]" range';
    // Chromium's own additions (client hints it may send itself, and its intervention header).
    case 'intervention':
      return null;
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return /^\d+(\.\d+)?$/.test(value) ? null : 'its value is not a number';
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return /^\d+$/.test(value) ? null : 'its value is not an integer';
    case 'ect':
      return value === 'slow-2g' || value === '2g' || value === '3g' || value === '4g'
        ? null
        : 'its value is not an effective connection type';
    case 'save-data':
      return value.toLowerCase() === 'on' ? null : 'its value is not "on"';
    default:
      return 'it is not a CORS-safelisted header';
  }
}

function describeByte(c: number): string {
  if (c < 0x20 || c === 0x7f) return `0x${c.toString(16).padStart(2, '0')}`;
  return `"${String.fromCharCode(c)}"`;
}

/** https://fetch.spec.whatwg.org/#simple-range-header-value */
export function isSimpleRange(value: string): boolean {
  const m = /^bytes=(\d+)-(\d*)$/i.exec(value);
  if (!m) return false;
  if (m[2] === '') return true;
  // Compare as digit strings so huge numbers do not lose precision.
  const a = m[1]!.replace(/^0+(?=\d)/, '');
  const b = m[2]!.replace(/^0+(?=\d)/, '');
  return a.length < b.length || (a.length === b.length && a <= b);
}

/**
 * Forbidden request-header names (https://fetch.spec.whatwg.org/#forbidden-request-header) and the
 * headers browsers add below the CORS layer (User-Agent; Pragma/Cache-Control when DevTools disables
 * the cache; Priority). Scripts cannot set them, so they never count towards a preflight.
 */
const NOT_AUTHOR = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'access-control-request-private-network',
  'access-control-request-local-network',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
  'user-agent',
  'pragma',
  'cache-control',
  'priority',
  'upgrade-insecure-requests',
  'x-client-data',
  'purpose',
]);

export function isAuthorHeader(lowerName: string): boolean {
  if (NOT_AUTHOR.has(lowerName)) return false;
  return !lowerName.startsWith('sec-') && !lowerName.startsWith('proxy-');
}

export interface UnsafeHeader {
  name: string;
  reason: string;
}

/**
 * The request's CORS-unsafe header names in the order Chromium reports them (request order, then the
 * safelisted ones pushed over the 1024-byte total), with why each is unsafe.
 * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
 */
export function unsafeRequestHeaders(headers: readonly Header[] | undefined): UnsafeHeader[] {
  if (!headers || headers.length === 0) return [];
  return memo(headers, UNSAFE_KEY, () => computeUnsafe(headers));
}

const UNSAFE_KEY = {};

function computeUnsafe(headers: readonly Header[]): UnsafeHeader[] {
  // Combine same-name headers the way a header list does before the check.
  const combined = new Map<string, string>();
  for (const h of headers) {
    const n = asciiLower(h.name);
    if (!isAuthorHeader(n)) continue;
    const prev = combined.get(n);
    combined.set(n, prev === undefined ? h.value : `${prev}, ${h.value}`);
  }
  const unsafe: UnsafeHeader[] = [];
  const safe: string[] = [];
  let safeBytes = 0;
  for (const [name, value] of combined) {
    const reason = unsafeReason(name, value);
    if (reason !== null) unsafe.push({ name, reason });
    else {
      safe.push(name);
      safeBytes += value.length;
    }
  }
  if (safeBytes > 1024) {
    for (const name of safe)
      unsafe.push({ name, reason: `safelisted headers total ${safeBytes} bytes (more than 1024)` });
  }
  return unsafe;
}

/** Parses an Access-Control-Request-Headers value (lower-cased, comma-separated). */
export function parseRequestHeaderList(value: string | null): string[] {
  if (value === null) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const t = asciiLower(trimOws(part));
    if (t) out.push(t);
  }
  return out;
}
