// The JSON report: the full diagnosis, versioned, documented by docs/report.schema.json.
// It is also the format CORS Lens re-opens, so every field of a LogEntry survives the round trip
// (entriesFromReport), while the text fields (cause title, console lines) are there for humans
// and tools that do not have the catalogue.
import { describeCause } from '../causes';
import { probeFromReport, reportProbe, type ReportProbe } from '../probe/report';
import type { RetryLink } from '../probe/types';
import type { LogEntry, OriginStats } from '../log';
import { uncertainSentence } from '../outcome';
import { verdictSummary } from '../summary';
import { describeExchangeSymptom } from '../symptoms';
import type { BrowserName, Exchange, Header, Hop, Preflight } from '../types';
import type { Branch, CauseRef, EvidenceRow, Symptom, Verdict } from '../verdict';
import { getHeader } from '../headers';
import { redactEntries, scrub, type RedactionSummary } from './redact';
import { UNKNOWN_ENV, type ExportInput, type ExportOptions, type ExportScope, type Snippet } from './types';

/**
 * v2: outcome `uncertain` (blocked under one credentials assumption, no failure signal; a v1
 * report's credentials-dependent passes are read as uncertain), and reports made outside the
 * browser (cors-lens CLI).
 */
export const SCHEMA_VERSION = 2;
/** The newest format this code reads. */
export const NEWEST_SCHEMA_VERSION = 2;
export const SCHEMA_ID = 'https://cors-lens.dev/schema/report-v2.json';
export const REPORT_KIND = 'cors-lens-report';

export interface ReportRequest {
  method: string;
  url: string;
  type: string;
  pageOrigin: string | null;
  documentUrl: string | null;
  /** Request headers of the first hop; null when the browser never reported them. */
  headers: Header[] | null;
}

export interface ReportResponse {
  status: number | null;
  statusLine: string | null;
  headers: Header[] | null;
  ip: string | null;
  fromCache: boolean | null;
}

export interface ReportRedirect extends ReportResponse {
  location: string | null;
  /** The request the browser made to follow this redirect. */
  followed: { method: string; url: string; headers: Header[] | null };
}

export interface ReportPreflight {
  requestId: string;
  /** Which hop of the redirect chain this preflight guarded (0 = the first URL). */
  hopIndex: number;
  state: Preflight['state'];
  error: string | null;
  redirectedTo: string | null;
  request: { method: string; url: string; headers: Header[] | null };
  response: ReportResponse | null;
}

export type ReportCause = CauseRef & { kind: string; title: string; explanation: string };
export type ReportSymptom = Symptom & { short: string; chromeConsole: string; firefoxText: string | null };
export type ReportBranch = Omit<Branch, 'symptom' | 'cause'> & { symptom?: ReportSymptom; cause?: ReportCause };
export type ReportVerdict = Omit<Verdict, 'symptom' | 'cause' | 'warnings' | 'branches' | 'probe' | 'retry'> & {
  probe?: ReportProbe<ReportCause>;
  retry?: Omit<RetryLink, 'cause'> & { cause?: ReportCause };
  summary: string;
  symptom?: ReportSymptom;
  cause?: ReportCause;
  branches?: ReportBranch[];
  warnings: ReportCause[];
};

export interface ReportEntry {
  id: string;
  requestId: string;
  browser: BrowserName;
  /** null in a report made outside the browser (schemaVersion 2). */
  tabId: number | null;
  frameId: number;
  state: Exchange['state'];
  error: string | null;
  startedAt: string;
  endedAt: string | null;
  request: ReportRequest;
  preflights: ReportPreflight[];
  redirects: ReportRedirect[];
  /** The final response; null when none arrived (network error, blocked preflight). */
  response: ReportResponse | null;
  verdict: ReportVerdict;
  snippets: Snippet[];
}

export interface ReportOrigin extends OriginStats {
  lastSeenAt: string | null;
}

export interface CorsLensReport {
  $schema: string;
  kind: typeof REPORT_KIND;
  schemaVersion: typeof SCHEMA_VERSION;
  generator: {
    name: 'CORS Lens' | 'cors-lens CLI';
    version: string;
    browser: string;
    browserVersion: string;
    userAgent: string | null;
  };
  createdAt: string;
  scope: ExportScope;
  redaction: RedactionSummary;
  entries: ReportEntry[];
  origins: ReportOrigin[] | null;
}

const iso = (ms: number | undefined): string | null =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;

function response(hop: Hop): ReportResponse | null {
  if (hop.statusCode === undefined && !hop.responseHeaders) return null;
  return {
    status: hop.statusCode ?? null,
    statusLine: hop.statusLine ?? null,
    headers: hop.responseHeaders ?? null,
    ip: hop.ip ?? null,
    fromCache: hop.fromCache ?? null,
  };
}

export function causeText(ref: CauseRef): ReportCause {
  const t = describeCause(ref);
  return {
    code: ref.code,
    confidence: ref.confidence,
    facts: { ...ref.facts },
    kind: t.kind,
    title: t.title,
    explanation: t.explanation,
  };
}

export function symptomText(s: Symptom, ex: Exchange): ReportSymptom {
  const t = describeExchangeSymptom(ex, s);
  const out: ReportSymptom = {
    corsError: s.corsError,
    failedParameter: s.failedParameter,
    stage: s.stage,
    hopIndex: s.hopIndex,
    short: t.short,
    chromeConsole: t.chromeConsole,
    firefoxText: t.firefoxText ?? null,
  };
  if (s.firefoxReason) out.firefoxReason = s.firefoxReason;
  return out;
}

function reportVerdict(v: Verdict, ex: Exchange): ReportVerdict {
  const { symptom, cause, warnings, branches } = v;
  // Known fields only: the schema is strict (additionalProperties: false) so imports stay inert.
  const out: ReportVerdict = {
    outcome: v.outcome,
    summary: verdictSummary(v),
    credentials: v.credentials,
    preflight: {
      needed: v.preflight.needed,
      reasons: [...v.preflight.reasons],
      seen: v.preflight.seen,
      fromCache: v.preflight.fromCache,
    },
    evidence: v.evidence.map((r) => {
      const row: EvidenceRow = {
        stage: r.stage,
        rule: r.rule,
        field: r.field,
        needed: r.needed,
        sent: r.sent,
        result: r.result,
        hopIndex: r.hopIndex,
      };
      if (r.spec !== undefined) row.spec = r.spec;
      return row;
    }),
    warnings: warnings.map(causeText),
  };
  if (v.networkError !== undefined) out.networkError = v.networkError;
  if (symptom) out.symptom = symptomText(symptom, ex);
  if (cause) out.cause = causeText(cause);
  if (v.probe) out.probe = reportProbe(v.probe, causeText);
  if (v.retryOf !== undefined) out.retryOf = v.retryOf;
  if (v.retry)
    out.retry = {
      id: v.retry.id,
      outcome: v.retry.outcome,
      at: v.retry.at,
      ...(v.retry.cause ? { cause: causeText(v.retry.cause) } : {}),
    };
  if (branches) {
    out.branches = branches.map((b) => {
      const { symptom: bs, cause: bc } = b;
      const rb: ReportBranch = { assumption: b.assumption, outcome: b.outcome };
      if (bs) rb.symptom = symptomText(bs, ex);
      if (bc) rb.cause = causeText(bc);
      return rb;
    });
  }
  return out;
}

export function reportEntry(e: LogEntry, snippets: Snippet[]): ReportEntry {
  const ex = e.exchange;
  const hops = ex.hops.length ? ex.hops : [{ url: ex.url, method: ex.method } as Hop];
  const last = hops[hops.length - 1]!;
  return {
    id: ex.id,
    requestId: ex.requestId,
    browser: ex.browser,
    tabId: ex.tabId,
    frameId: ex.frameId,
    state: ex.state,
    error: ex.error ?? null,
    startedAt: iso(ex.startTime) ?? new Date(0).toISOString(),
    endedAt: iso(ex.endTime),
    request: {
      method: hops[0]!.method,
      url: hops[0]!.url,
      type: ex.type,
      pageOrigin: ex.pageOrigin ?? null,
      documentUrl: ex.documentUrl ?? null,
      headers: hops[0]!.requestHeaders ?? null,
    },
    preflights: ex.preflights.map((p) => ({
      requestId: p.requestId,
      hopIndex: p.hopIndex,
      state: p.state,
      error: p.error ?? null,
      redirectedTo: p.redirectedTo ?? null,
      request: { method: p.hop.method, url: p.hop.url, headers: p.hop.requestHeaders ?? null },
      response: response(p.hop),
    })),
    redirects: hops.slice(0, -1).map((h, i) => {
      const next = hops[i + 1]!;
      return {
        ...(response(h) ?? { status: null, statusLine: null, headers: null, ip: null, fromCache: null }),
        location: getHeader(h.responseHeaders, 'location'),
        followed: { method: next.method, url: next.url, headers: next.requestHeaders ?? null },
      };
    }),
    response: response(last),
    verdict: reportVerdict(e.verdict, ex),
    snippets,
  };
}

/** The JSON report object (redacted unless `includeSecrets`). */
export function buildReport(input: ExportInput, opts: ExportOptions = {}): CorsLensReport {
  const env = opts.env ?? UNKNOWN_ENV;
  const red = redactEntries(input.entries, opts);
  const entries = red.entries.map((e) => {
    // Snippets are generated from the redacted entry and scrubbed too: they may quote header values.
    const snippets = scrub(safeSnippets(opts.snippets, e), red.secrets);
    return reportEntry(e, snippets);
  });
  return {
    $schema: SCHEMA_ID,
    kind: REPORT_KIND,
    schemaVersion: SCHEMA_VERSION,
    generator: {
      name: 'CORS Lens',
      version: env.extensionVersion,
      browser: env.browser,
      browserVersion: env.browserVersion,
      userAgent: env.userAgent ?? null,
    },
    createdAt: (opts.now ?? new Date()).toISOString(),
    scope: input.scope,
    redaction: red.summary,
    entries,
    origins: input.origins
      ? input.origins.map((o) => ({ ...o, lastSeenAt: o.lastSeen > 0 ? iso(o.lastSeen) : null }))
      : null,
  };
}

/** A snippet generator that throws must not break the export. */
export function safeSnippets(source: ExportOptions['snippets'], e: LogEntry): Snippet[] {
  if (!source) return [];
  try {
    const s = source(e);
    return Array.isArray(s)
      ? s
          .filter((x) => x && typeof x.code === 'string')
          .map((x) => ({ stack: String(x.stack), label: String(x.label), code: x.code }))
      : [];
  } catch {
    return [];
  }
}

/** The same report made outside the browser (schemaVersion 2): no tab, the command line named as generator. */
/** An uncertain verdict's summary in a report made outside the browser (both outcomes, blocking first). */
export function cliUncertainSummary(v: Pick<ReportVerdict, 'outcome' | 'branches' | 'cause'>): string {
  return `${uncertainSentence(v)}${v.cause ? ` — ${v.cause.title}` : ''} (the credentials mode was not given: cors-lens probe --credentials include|omit)`;
}

export function asCliReport(r: CorsLensReport): CorsLensReport {
  return {
    ...r,
    schemaVersion: NEWEST_SCHEMA_VERSION,
    generator: { ...r.generator, name: 'cors-lens CLI' },
    entries: r.entries.map((e) => ({
      ...e,
      tabId: null,
      verdict:
        e.verdict.outcome === 'uncertain' ? { ...e.verdict, summary: cliUncertainSummary(e.verdict) } : e.verdict,
    })),
  };
}

export function jsonReport(input: ExportInput, opts: ExportOptions = {}): string {
  return `${JSON.stringify(buildReport(input, opts), null, 2)}\n`;
}

// --- back to log entries (re-open) -----------------------------------------------------------

function stripCause(c: ReportCause): CauseRef {
  return { code: c.code, confidence: c.confidence, facts: { ...c.facts } };
}

function stripSymptom(s: ReportSymptom): Symptom {
  const out: Symptom = {
    corsError: s.corsError,
    failedParameter: s.failedParameter,
    stage: s.stage,
    hopIndex: s.hopIndex,
  };
  if (s.firefoxReason) out.firefoxReason = s.firefoxReason;
  return out;
}

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function hop(method: string, url: string, headers: Header[] | null, res: ReportResponse | null): Hop {
  const h: Hop = { url, method };
  if (headers) h.requestHeaders = headers;
  if (res) {
    if (res.status !== null) h.statusCode = res.status;
    if (res.statusLine !== null) h.statusLine = res.statusLine;
    if (res.headers) h.responseHeaders = res.headers;
    if (res.ip !== null) h.ip = res.ip;
    if (res.fromCache !== null) h.fromCache = res.fromCache;
  }
  return h;
}

/** Rebuilds the LogEntries of a (schema-valid) report. */
export function entriesFromReport(r: CorsLensReport): LogEntry[] {
  return r.entries.map((e, i) => {
    const hops: Hop[] = [];
    let method = e.request.method;
    let url = e.request.url;
    let headers = e.request.headers;
    for (const rd of e.redirects) {
      hops.push(hop(method, url, headers, rd));
      ({ method, url, headers } = rd.followed);
    }
    hops.push(hop(method, url, headers, e.response));
    const exchange: Exchange = {
      id: e.id,
      requestId: e.requestId,
      browser: e.browser,
      tabId: e.tabId ?? -1,
      frameId: e.frameId,
      type: e.request.type,
      method: e.request.method,
      url: e.request.url,
      startTime: Date.parse(e.startedAt),
      hops,
      preflights: e.preflights.map((p) => {
        const pre: Preflight = {
          requestId: p.requestId,
          hopIndex: p.hopIndex,
          hop: hop(p.request.method, p.request.url, p.request.headers, p.response),
          state: p.state,
        };
        if (p.error !== null) pre.error = p.error;
        if (p.redirectedTo !== null) pre.redirectedTo = p.redirectedTo;
        return pre;
      }),
      state: e.state,
    };
    if (e.request.pageOrigin !== null) exchange.pageOrigin = e.request.pageOrigin;
    if (e.request.documentUrl !== null) exchange.documentUrl = e.request.documentUrl;
    if (e.endedAt !== null) exchange.endTime = Date.parse(e.endedAt);
    if (e.error !== null) exchange.error = e.error;

    const { summary: _s, symptom, cause, warnings, branches, networkError, probe, retry, ...rest } = e.verdict;
    const verdict: Verdict = { ...rest, warnings: warnings.map(stripCause) };
    if (probe) verdict.probe = probeFromReport(probe, stripCause);
    if (retry)
      verdict.retry = {
        id: retry.id,
        outcome: retry.outcome,
        at: retry.at,
        ...(retry.cause ? { cause: stripCause(retry.cause) } : {}),
      };
    if (symptom) verdict.symptom = stripSymptom(symptom);
    if (cause) verdict.cause = stripCause(cause);
    if (opt(networkError) !== undefined) verdict.networkError = networkError!;
    if (branches) {
      verdict.branches = branches.map((b) => {
        const br: Branch = { assumption: b.assumption, outcome: b.outcome };
        if (b.symptom) br.symptom = stripSymptom(b.symptom);
        if (b.cause) br.cause = stripCause(b.cause);
        return br;
      });
    }
    upgradeV1(verdict);
    return { id: e.id, seq: i + 1, nav: 0, exchange, verdict };
  });
}

/**
 * A v1 report said "pass" for a request that is blocked under one credentials assumption when the
 * browser gave no failure signal. Read it as v2 does: uncertain, with the blocking branch's symptom
 * and cause, so an old report never shows a false pass either.
 */
function upgradeV1(v: Verdict): void {
  if (v.outcome !== 'pass' || v.credentials !== 'unknown' || !v.branches) return;
  const blocked = v.branches.find((b) => b.outcome === 'blocked');
  if (!blocked || !v.branches.some((b) => b.outcome === 'pass')) return;
  v.outcome = 'uncertain';
  if (blocked.symptom && !v.symptom) v.symptom = blocked.symptom;
  if (blocked.cause && !v.cause) v.cause = { ...blocked.cause, confidence: 'possible' };
}
