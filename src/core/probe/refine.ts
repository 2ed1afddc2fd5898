// Combines a Probe's answer with the original request's verdict into a refined cause.
//
// The probe is `fetch(url, {method: 'OPTIONS', headers: {'X-Cors-Lens-Probe': id}})` from the
// inspected page: the browser sends a real preflight (Access-Control-Request-Method: OPTIONS,
// -Headers: x-cors-lens-probe) with the page's real Origin. What servers answer it (measured on the
// ten stacks of test/servers, see test/e2e/probe-table.e2e.ts and README "Probe"):
// - a CORS layer that does not allow the origin answers with Access-Control-* headers but no
//   Allow-Origin (Starlette 400; Hono 204; Django only Vary: Origin), or names another origin;
// - a CORS layer registered after the route (Express, Hono, Koa) or only for OPTIONS (nginx `if`,
//   Caddy `handle @options`) allows the origin on the preflight while the route's response has none;
// - no CORS layer: 2xx/404/405 without any CORS header. flask-cors with a disallowed origin (or
//   `resources` that miss the path) answers exactly like that: it cannot be told apart from the page.
import { CAUSES, type CauseCode } from '../causes';
import { nearMiss } from '../fetch/origin';
import { getHeader, headerValues } from '../headers';
import type { LogEntry } from '../log';
import { otherCorsHeaders } from '../diagnosis/root-cause';
import type { Exchange, Hop } from '../types';
import type { CauseRef, Confidence, Verdict } from '../verdict';
import { causeRef, type CauseFacts } from '../cause-facts';
import { routeAdvice } from './advice';
import type { ProbeFinding, ProbeKind } from './types';

export interface ProbeInput {
  /** The original entry, as it was before the probe. */
  original: LogEntry;
  /** The probe's exchange as the linker built it, and the engine's verdict on it. */
  probe: Exchange;
  probeVerdict: Verdict;
  probeId: string;
  /** Credentials mode the probe was sent with. */
  credentials?: 'include' | 'omit' | 'same-origin';
  now: number;
  /** The `cors-lens probe …` line for the original (core/report/probe-command.ts), if available. */
  command?: string | null;
}

const NEAR_MISS_WORDS: Record<string, string> = {
  'trailing-slash': 'a trailing slash',
  path: 'a path',
  scheme: 'the scheme (http vs https)',
  port: 'the port',
  'localhost-vs-127': 'localhost vs 127.0.0.1',
  case: 'letter case',
  whitespace: 'spaces',
  'default-port': 'a spelled-out default port',
  'missing-scheme': 'a missing scheme',
};

/** The usual misspellings of `origin` a server's allow list may hold instead of it. */
export function nearMissSuspects(origin: string): string[] {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return [];
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return [];
  const out = [`${origin}/`, `${u.protocol === 'http:' ? 'https' : 'http'}://${u.host}`];
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  if (u.port) out.push(`${u.protocol}//${u.hostname}`);
  else out.push(`${u.protocol}//${u.hostname}:${port === 80 ? 8080 : 8443}`);
  if (u.hostname === 'localhost') out.push(`${u.protocol}//127.0.0.1${u.port ? `:${u.port}` : ''}`);
  else if (u.hostname === '127.0.0.1') out.push(`${u.protocol}//localhost${u.port ? `:${u.port}` : ''}`);
  return out;
}

function firstPreflight(ex: Exchange) {
  return ex.preflights.find((p) => p.hopIndex === 0) ?? ex.preflights[0];
}

/** Only what the panel and the exports show of a hop (no ip, no cache flag). */
function hopCopy(h: Hop | undefined): Hop | undefined {
  if (!h) return undefined;
  const out: Hop = { url: h.url, method: h.method };
  if (h.requestHeaders) out.requestHeaders = h.requestHeaders.map((x) => ({ name: x.name, value: x.value }));
  if (h.statusCode !== undefined) out.statusCode = h.statusCode;
  if (h.statusLine !== undefined) out.statusLine = h.statusLine;
  if (h.responseHeaders) out.responseHeaders = h.responseHeaders.map((x) => ({ name: x.name, value: x.value }));
  return out;
}

/** causeRef (typed facts per cause), leaving out empty facts as well as unknown ones. */
const ref = <C extends CauseCode>(code: C, confidence: Confidence, facts: CauseFacts[C]): CauseRef => {
  const f: Record<string, string | undefined> = { ...facts };
  for (const k of Object.keys(f)) if (f[k] === '') delete f[k];
  return causeRef(code, confidence, f as CauseFacts[C]);
};

/** Whether the catalogue lets `code` explain the original's symptom (a verdict never contradicts it). */
function explains(code: CauseCode, v: Verdict): boolean {
  const s = v.symptom?.corsError;
  return !!s && (CAUSES.get(code)?.symptoms ?? []).includes(s);
}

function describeError(error: string): string {
  if (/ABORTED|NS_BINDING_ABORTED/i.test(error))
    return 'no answer in time: the server hangs or is very slow (the probe was cancelled)';
  if (
    /REFUSED|UNREACHABLE|RESET|CLOSED|EMPTY_RESPONSE|NAME_NOT_RESOLVED|TIMED_OUT|NET_TIMEOUT|NS_ERROR_NET|NS_ERROR_UNKNOWN_HOST/i.test(
      error,
    )
  )
    return `the server could not be reached (${error}): it is down or listens elsewhere`;
  return `the probe failed with ${error}`;
}

/**
 * The probe's finding and the original's verdict refined by it. The original verdict is returned
 * unchanged (but for the attached finding) whenever the probe does not settle more than it did.
 */
export function refineWithProbe(input: ProbeInput): { finding: ProbeFinding; verdict: Verdict } {
  const { original, probe, probeVerdict } = input;
  const v = original.verdict;
  const ex = original.exchange;
  const origin = getHeader(ex.hops[0]?.requestHeaders, 'origin') ?? ex.pageOrigin ?? '';
  const pre = firstPreflight(probe);
  const base: Omit<ProbeFinding, 'kind' | 'summary'> = {
    probeId: input.probeId,
    at: input.now,
    before: v.cause,
    outcome: probeVerdict.outcome,
    ...(probeVerdict.symptom ? { corsError: probeVerdict.symptom.corsError } : {}),
    ...(probeVerdict.symptom?.firefoxReason ? { firefoxReason: probeVerdict.symptom.firefoxReason } : {}),
    preflight: hopCopy(pre?.hop),
    actual: probe.hops[0]?.statusCode !== undefined ? hopCopy(probe.hops[0]) : undefined,
    error: probe.error ?? pre?.error,
    command: input.command ?? null,
  };
  const keep = (kind: ProbeKind, summary: string, extra: Partial<ProbeFinding> = {}) => {
    const finding: ProbeFinding = { ...base, kind, summary, ...extra };
    if (finding.error === undefined) delete finding.error;
    return { finding, verdict: { ...v, probe: finding } as Verdict };
  };
  const refine = (kind: ProbeKind, summary: string, cause: CauseRef, extra: Partial<ProbeFinding> = {}) => {
    if (v.outcome !== 'blocked' || !explains(cause.code, v))
      return keep(kind, `${summary} (The original's own cause is kept: it explains what the browser reported.)`, extra);
    const finding: ProbeFinding = { ...base, kind, summary, after: cause, ...extra };
    if (finding.error === undefined) delete finding.error;
    return { finding, verdict: { ...v, cause, probe: finding } as Verdict };
  };

  const sentFrom = getHeader(pre?.hop.requestHeaders, 'origin') ?? getHeader(probe.hops[0]?.requestHeaders, 'origin');
  if (sentFrom && origin && sentFrom !== origin) {
    return keep(
      'inconclusive',
      `The probe went out from ${sentFrom}, not from ${origin}: the page changed, so its answer says nothing about the original request.`,
    );
  }

  // The answer to look at: the preflight's; without one (a cached preflight), the actual OPTIONS.
  const answer =
    pre?.hop.statusCode !== undefined ? pre.hop : probe.hops[0]?.statusCode !== undefined ? probe.hops[0] : undefined;
  if (!answer) {
    const err = probe.error ?? pre?.error;
    return keep('inconclusive', err ? `The probe got no answer: ${describeError(err)}.` : 'The probe got no answer.');
  }
  const status = answer.statusCode!;
  const headers = answer.responseHeaders;
  const onPreflight = answer === pre?.hop;
  const facts = { origin, url: ex.url, target: safeOrigin(ex.url) ?? ex.url, probeStatus: String(status) };

  if (status >= 300 && status <= 399) {
    const loc = getHeader(headers, 'location');
    return keep(
      'inconclusive',
      `The server redirects OPTIONS for this URL (${status}${loc ? ` to ${loc}` : ''}); a preflight never follows a redirect, so the probe cannot see the CORS layer behind it.`,
    );
  }

  const acaoLines = headerValues(headers, 'access-control-allow-origin');
  const acao = acaoLines.length === 1 ? acaoLines[0]!.trim() : acaoLines.length > 1 ? acaoLines.join(', ') : null;
  const credentialed = input.credentials === 'include';
  if (acao !== null) {
    if (acao === origin || (acao === '*' && !credentialed)) {
      const s = v.symptom;
      const failing = s ? ex.hops[s.hopIndex] : undefined;
      const st = failing?.statusCode;
      if (s && s.stage !== 'preflight' && s.corsError === 'MissingAllowOriginHeader' && st !== undefined && st < 300) {
        const advice = routeAdvice(original);
        return refine(
          'route-without-cors',
          `The CORS layer allows ${origin} on an OPTIONS preflight (${status}, Access-Control-Allow-Origin: ${acao}), but the route's own ${st} response has none.`,
          ref('cors-not-on-route', 'certain', { ...facts, status: String(st), allowOrigin: acao, advice: advice.text }),
        );
      }
      return keep(
        'origin-allowed',
        `The CORS layer answers ${onPreflight ? 'a preflight' : 'OPTIONS'} for this URL and allows ${origin} (${status}, Access-Control-Allow-Origin: ${acao}); the original's own cause stands.`,
      );
    }
    const miss = acaoLines.length === 1 ? nearMiss(acao, origin) : null;
    if (miss) {
      const typo = ref('origin-typo', 'certain', {
        ...facts,
        sent: acao,
        requestOrigin: origin,
        corrected: origin,
        difference: NEAR_MISS_WORDS[miss] ? `it differs in ${NEAR_MISS_WORDS[miss]}` : undefined,
      });
      if (explains('origin-typo', v))
        return refine(
          'origin-rejected',
          `The CORS layer answers, and allows "${acao}" instead of ${origin} (${NEAR_MISS_WORDS[miss] ?? miss}).`,
          typo,
        );
    }
    return refine(
      'origin-rejected',
      `The CORS layer answers (${status}) and allows only "${acao}", not ${origin}.`,
      ref('origin-not-allowed', 'certain', { ...facts, sent: acao, allowed: acao }),
    );
  }

  const others = otherCorsHeaders(headers);
  const corsNames = others.filter((h) => h !== 'Vary: Origin');
  if (others.length > 0) {
    // A layer that names methods/headers but no Allow-Origin for this origin rejects it. Certain when
    // the answer depends on the origin (Vary: Origin) or is an explicit refusal (4xx, Starlette's 400).
    const explicit = corsNames.length > 0 && ((status >= 400 && status <= 499) || others.includes('Vary: Origin'));
    const methods = getHeader(headers, 'access-control-allow-methods') ?? undefined;
    const allowHeaders = getHeader(headers, 'access-control-allow-headers') ?? undefined;
    const what = [methods && `methods ${methods}`, allowHeaders && `headers ${allowHeaders}`]
      .filter(Boolean)
      .join('; ');
    return refine(
      'origin-rejected',
      `A CORS layer answers the probe (${status}, ${others.join(', ')}) without Access-Control-Allow-Origin: it does not allow ${origin}.${what ? ` It does allow ${what}.` : ''} Which origin it lists cannot be seen from the page.`,
      ref('origin-not-allowed', explicit ? 'certain' : 'likely', {
        ...facts,
        present: `${others.join(', ')} (in answer to a probe, status ${status})`,
        allowed: what || undefined,
      }),
      { suspects: nearMissSuspects(origin) },
    );
  }

  if (status >= 500)
    return keep(
      'inconclusive',
      `The server answered the probe with ${status} and no CORS header: it failed on OPTIONS, so the probe cannot see its CORS layer.`,
    );
  if (status === 401 || status === 403)
    return keep(
      'inconclusive',
      `The server asks for authentication on OPTIONS (${status}, no CORS header): the probe cannot reach the CORS layer behind it.`,
    );

  // Nothing CORS-related at all. Starlette's CORSMiddleware wraps the whole app and always answers a
  // preflight with Access-Control-* headers (400 or 200, measured), so behind uvicorn this proves
  // there is none. Elsewhere a layer may stay silent for an origin it does not allow (flask-cors does).
  const server = (getHeader(headers, 'server') ?? getHeader(ex.hops[0]?.responseHeaders, 'server') ?? '').toLowerCase();
  const starlette = server.startsWith('uvicorn');
  const allow = getHeader(headers, 'allow') ?? undefined;
  const silent = starlette
    ? ''
    : ' Or a CORS layer exists but stays silent for an origin it does not allow (flask-cors does exactly this; a CORS layer registered after a route that answers OPTIONS itself looks the same).';
  return refine(
    'no-cors-layer',
    `No CORS layer answers this URL: the probe's preflight got ${status}${allow ? ` (Allow: ${allow})` : ''} without any CORS header.${silent}`,
    ref('no-cors-config', starlette ? 'certain' : 'likely', { ...facts, allow: onPreflight ? allow : undefined }),
    starlette ? {} : { suspects: nearMissSuspects(origin) },
  );
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
