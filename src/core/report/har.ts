// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) for tools that already read network
// logs: Chrome DevTools' Network panel imports it. The preflight, each redirect hop and the actual
// request are separate entries, as DevTools shows them; the diagnosis rides in `_corsLens`
// custom fields (HAR allows custom fields starting with "_").
import { countsAsBlocked } from '../outcome';
import { getHeader, headerValues } from '../headers';
import type { LogEntry } from '../log';
import type { Header, Hop } from '../types';
import { buildReport, entriesFromReport, SCHEMA_VERSION, type ReportEntry } from './json';
import type { ExportInput, ExportOptions } from './types';

interface HarNameValue {
  name: string;
  value: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function httpVersion(statusLine: string | undefined): string {
  const m = statusLine ? /^(HTTP\/[\d.]+)/i.exec(statusLine) : null;
  return m ? m[1]!.toUpperCase() : 'HTTP/1.1';
}

function statusText(statusLine: string | undefined): string {
  const m = statusLine ? /^HTTP\/[\d.]+\s+\d{3}\s*(.*)$/i.exec(statusLine) : null;
  return m ? m[1]! : '';
}

function queryString(url: string): HarNameValue[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  if (!query) return [];
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return query
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { name: dec(p), value: '' } : { name: dec(p.slice(0, eq)), value: dec(p.slice(eq + 1)) };
    });
}

function requestCookies(headers: Header[] | undefined): HarNameValue[] {
  const v = getHeader(headers, 'cookie');
  if (!v) return [];
  return v
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const eq = c.indexOf('=');
      return eq < 0 ? { name: '', value: c } : { name: c.slice(0, eq), value: c.slice(eq + 1) };
    });
}

function responseCookies(headers: Header[] | undefined): HarNameValue[] {
  return headerValues(headers, 'set-cookie')
    .flatMap((line) => line.split('\n'))
    .map((line) => {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      return eq < 0
        ? { name: '', value: pair.trim() }
        : { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() };
    });
}

const headers = (hs: Header[] | undefined): HarNameValue[] => (hs ?? []).map((h) => ({ name: h.name, value: h.value }));

interface HarEntryInput {
  hop: Hop;
  startedMs: number;
  timeMs: number;
  resourceType: string;
  error?: string;
  corsLens: Record<string, unknown>;
}

function harEntry(x: HarEntryInput): Record<string, unknown> {
  const { hop } = x;
  const mime = (getHeader(hop.responseHeaders, 'content-type') ?? '').split(',')[0]!.trim();
  const entry: Record<string, unknown> = {
    startedDateTime: new Date(x.startedMs).toISOString(),
    time: Math.max(0, x.timeMs),
    request: {
      method: hop.method,
      url: hop.url,
      httpVersion: httpVersion(hop.statusLine),
      cookies: requestCookies(hop.requestHeaders),
      headers: headers(hop.requestHeaders),
      queryString: queryString(hop.url),
      headersSize: -1,
      bodySize: hop.method === 'GET' || hop.method === 'HEAD' || hop.method === 'OPTIONS' ? 0 : -1,
    },
    response: {
      // 0 = no response, as DevTools writes for failed requests.
      status: hop.statusCode ?? 0,
      statusText: statusText(hop.statusLine),
      httpVersion: httpVersion(hop.statusLine),
      cookies: responseCookies(hop.responseHeaders),
      headers: headers(hop.responseHeaders),
      // The body is not visible to extensions.
      content: { size: 0, mimeType: mime || 'x-unknown', comment: 'Response body not recorded by CORS Lens.' },
      redirectURL: getHeader(hop.responseHeaders, 'location') ?? '',
      headersSize: -1,
      bodySize: -1,
      ...(x.error ? { _error: x.error } : {}),
    },
    cache: {},
    // Extensions see when an exchange starts and ends, not the phases of each request.
    timings: {
      blocked: -1,
      dns: -1,
      connect: -1,
      ssl: -1,
      send: 0,
      wait: Math.max(0, x.timeMs),
      receive: 0,
      comment: 'Only the total is known.',
    },
    _resourceType: x.resourceType,
    _corsLens: x.corsLens,
  };
  if (hop.ip && (IPV4.test(hop.ip) || /^[0-9a-f:]+$/i.test(hop.ip.replace(/^\[|\]$/g, ''))))
    entry.serverIPAddress = hop.ip.replace(/^\[|\]$/g, '');
  if (hop.fromCache) entry._fromCache = 'disk';
  return entry;
}

/** DevTools resource type names (Common.ResourceType) for webRequest types. */
function resourceType(type: string): string {
  switch (type) {
    case 'xmlhttprequest':
      return 'fetch';
    case 'main_frame':
    case 'sub_frame':
      return 'document';
    case 'stylesheet':
      return 'stylesheet';
    case 'script':
      return 'script';
    case 'image':
    case 'imageset':
      return 'image';
    case 'font':
      return 'font';
    case 'media':
      return 'media';
    case 'websocket':
      return 'websocket';
    default:
      return 'other';
  }
}

function entriesFor(e: LogEntry, r: ReportEntry): Array<Record<string, unknown>> {
  const ex = e.exchange;
  const start = ex.startTime;
  const total = (ex.endTime ?? start) - start;
  const out: Array<Record<string, unknown>> = [];
  const ref = { exchangeId: ex.id, url: ex.url, method: ex.method };
  for (const p of ex.preflights) {
    out.push(
      harEntry({
        hop: p.hop,
        startedMs: start,
        // The preflight's own end is not recorded: the exchange's duration bounds it.
        timeMs: total,
        resourceType: 'preflight',
        ...(p.error ? { error: p.error } : {}),
        corsLens: {
          role: 'preflight',
          hopIndex: p.hopIndex,
          for: ref,
          outcome: r.verdict.outcome,
          summary: r.verdict.summary,
          failed: r.verdict.symptom?.stage === 'preflight',
        },
      }),
    );
  }
  ex.hops.forEach((hop, i) => {
    const last = i === ex.hops.length - 1;
    out.push(
      harEntry({
        hop,
        startedMs: start,
        timeMs: last ? total : 0,
        resourceType: resourceType(ex.type),
        ...(last && ex.error ? { error: ex.error } : {}),
        corsLens: last
          ? {
              role: 'request',
              exchangeId: ex.id,
              pageOrigin: ex.pageOrigin ?? null,
              outcome: r.verdict.outcome,
              summary: r.verdict.summary,
              symptom: r.verdict.symptom ?? null,
              cause: r.verdict.cause ?? null,
              branches: r.verdict.branches ?? null,
              credentials: r.verdict.credentials,
              preflight: r.verdict.preflight,
              evidence: r.verdict.evidence,
              warnings: r.verdict.warnings,
              snippets: r.snippets,
              // What a Probe found and the Retry link (src/core/probe): credentials headers already left out.
              ...(r.verdict.probe ? { probe: r.verdict.probe } : {}),
              ...(r.verdict.retry ? { retry: r.verdict.retry } : {}),
              ...(r.verdict.retryOf !== undefined ? { retryOf: r.verdict.retryOf } : {}),
            }
          : { role: 'redirect', hopIndex: i, for: ref },
      }),
    );
  });
  return out;
}

export function harReport(input: ExportInput, opts: ExportOptions = {}): string {
  const report = buildReport(input, opts);
  const entries = entriesFromReport(report);
  const chosen = entries
    .map((e, i) => [e, report.entries[i]!] as const)
    .filter(([e]) => input.scope === 'selected' || input.scope === 'origins' || countsAsBlocked(e.verdict.outcome));
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'CORS Lens', version: report.generator.version },
      browser: {
        name:
          report.generator.browser === 'firefox'
            ? 'Firefox'
            : report.generator.browser === 'chrome'
              ? 'Chrome'
              : 'unknown',
        version: report.generator.browserVersion,
      },
      pages: [],
      entries: chosen.flatMap(([e, r]) => entriesFor(e, r)),
      comment: `Exported by CORS Lens (${report.scope}); diagnosis in the _corsLens fields.`,
      _corsLens: {
        schemaVersion: SCHEMA_VERSION,
        createdAt: report.createdAt,
        scope: report.scope,
        redaction: report.redaction,
        origins: report.origins,
      },
    },
  };
  return `${JSON.stringify(har, null, 2)}\n`;
}
