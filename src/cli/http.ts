// One HTTP exchange over node:http/https, reported the way webRequest reports it: status, status
// line, response header lines (duplicates and casing kept), server address — or Chromium's name
// for the network error. Global fetch is not used: it forbids setting Origin.
import http from 'node:http';
import https from 'node:https';
import type { Header } from '../core/types';

export type HttpResult =
  | { kind: 'response'; status: number; statusLine: string; headers: Header[]; ip?: string }
  | { kind: 'error'; error: string; detail: string };

export interface HttpRequest {
  url: string;
  method: string;
  headers: Header[];
  timeoutMs: number;
}

/** Node's error codes → Chromium's net::ERR_* names (net/base/net_error_list.h). */
function netError(e: NodeJS.ErrnoException): string {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return 'net::ERR_CONNECTION_REFUSED';
  if (code === 'ECONNRESET')
    return e.message === 'socket hang up' ? 'net::ERR_EMPTY_RESPONSE' : 'net::ERR_CONNECTION_RESET';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'net::ERR_NAME_NOT_RESOLVED';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'net::ERR_ADDRESS_UNREACHABLE';
  if (code === 'ETIMEDOUT') return 'net::ERR_CONNECTION_TIMED_OUT';
  if (code === 'EPIPE' || code === 'ECONNABORTED') return 'net::ERR_CONNECTION_ABORTED';
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'net::ERR_CERT_DATE_INVALID';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'net::ERR_CERT_COMMON_NAME_INVALID';
  if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) return 'net::ERR_CERT_AUTHORITY_INVALID';
  if (code === 'EPROTO' || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))
    return 'net::ERR_SSL_PROTOCOL_ERROR';
  if (code.startsWith('HPE_')) return 'net::ERR_INVALID_HTTP_RESPONSE';
  return 'net::ERR_CONNECTION_FAILED';
}

/** Header lines as Node wants them: one key per name (first casing kept), repeated names as arrays. */
function headerObject(lines: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const keyOf = new Map<string, string>();
  for (const [name, value] of lines) {
    const lower = name.toLowerCase();
    const key = keyOf.get(lower);
    if (key === undefined) {
      keyOf.set(lower, name);
      out[name] = value;
    } else {
      const prev = out[key]!;
      out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
  }
  return out;
}

/** Sends one request; never throws, never waits longer than `timeoutMs` for the response head. */
export function send(req: HttpRequest): Promise<HttpResult> {
  return new Promise((resolve) => {
    const u = new URL(req.url);
    const mod = u.protocol === 'https:' ? https : http;
    let done = false;
    const finish = (r: HttpResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const headers: Array<[string, string]> = req.headers.map((h) => [h.name, h.value]);
    // Requests other than GET/HEAD/OPTIONS go out with an empty body (the page's body is not known here).
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method.toUpperCase())) headers.push(['Content-Length', '0']);
    let cr: http.ClientRequest;
    try {
      cr = mod.request(u, {
        method: req.method,
        headers: headerObject(headers),
        agent: false,
        // Browsers read larger and laxer response heads than Node's defaults.
        maxHeaderSize: 256 * 1024,
        insecureHTTPParser: true,
      } as http.RequestOptions);
    } catch (e) {
      finish({ kind: 'error', error: 'net::ERR_INVALID_ARGUMENT', detail: String((e as Error).message) });
      return;
    }
    const timer = setTimeout(() => {
      finish({ kind: 'error', error: 'net::ERR_TIMED_OUT', detail: `no response within ${req.timeoutMs / 1000} s` });
      cr.destroy();
    }, req.timeoutMs);
    cr.on('error', (e: NodeJS.ErrnoException) =>
      finish({ kind: 'error', error: netError(e), detail: `${e.code ?? 'error'}: ${e.message}` }),
    );
    cr.on('response', (res) => {
      const raw = res.rawHeaders;
      const out: Header[] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i]!, value: raw[i + 1]! });
      const status = res.statusCode ?? 0;
      finish({
        kind: 'response',
        status,
        statusLine: `HTTP/${res.httpVersion} ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`,
        headers: out,
        ...(res.socket?.remoteAddress ? { ip: res.socket.remoteAddress.replace(/^::ffff:/, '') } : {}),
      });
      // The body plays no part in CORS: drop it (and the connection) at once.
      res.destroy();
    });
    cr.end();
  });
}
