// From symptom to root cause: what most likely made the server answer this way. Each inference
// reads only the evidence in the exchange and never contradicts the symptom (a cause is only ever
// chosen among those that produce exactly that symptom).
import { getHeader } from '../headers';
import { headerLines } from '../fetch/rules';
import { isRedirectStatus, resolveUrl } from '../http';
import { preflightFor } from '../exchange';
import { nearMiss, parseOriginLike } from '../fetch/origin';
import { differenceText } from '../origin-difference';
import { parseTokenList } from '../fetch/tokens';
import type { NetErrorKind } from '../fetch/net-errors';
import type { Walk } from '../fetch/walk';
import { cachedOriginOf as originOf } from '../fetch/walk';
import type { Exchange, Header } from '../types';
import type { CauseRef, Symptom } from '../verdict';
import type { CauseCode } from '../causes';
import { causeRef } from '../cause-facts';

/** Access-Control-* response headers other than Allow-Origin, plus Vary: Origin: signs CORS is configured. */
export function otherCorsHeaders(headers: readonly Header[] | undefined): string[] {
  const found: string[] = [];
  for (const h of headers ?? []) {
    const name = h.name;
    if (
      name.length > 15 &&
      name.slice(0, 15).toLowerCase() === 'access-control-' &&
      name.toLowerCase() !== 'access-control-allow-origin'
    ) {
      if (!found.includes(name)) found.push(name);
    } else if (
      name.length === 4 &&
      name.toLowerCase() === 'vary' &&
      /(^|,)\s*origin\s*(,|$)/i.test(h.value) &&
      !found.includes('Vary: Origin')
    )
      found.push('Vary: Origin');
  }
  return found;
}

function redirectKind(from: string, to: string | null): string {
  if (!to) return 'a redirect';
  try {
    const a = new URL(from);
    const b = new URL(to);
    if (a.protocol === 'http:' && b.protocol === 'https:' && a.host === b.host) return 'http → https';
    if (a.origin === b.origin && b.pathname === `${a.pathname}/`) return 'adding a trailing slash';
    if (a.origin === b.origin && a.pathname === `${b.pathname}/`) return 'removing a trailing slash';
    if (/login|signin|auth|sso/i.test(b.pathname)) return 'to a login page';
  } catch {
    /* unparsable: generic text */
  }
  return 'a redirect';
}

export interface CauseContext {
  ex: Exchange;
  walk: Walk;
  symptom: Symptom;
  pageOrigin: string;
  /** How sure the credentials assumption behind this verdict is. */
  credentialsSure: boolean;
}

export function inferCause(c: CauseContext): CauseRef {
  const { ex, walk, symptom } = c;
  const hop = ex.hops[symptom.hopIndex] ?? ex.hops[0]!;
  const pf = preflightFor(ex, symptom.hopIndex);
  const onPreflight = symptom.stage === 'preflight';
  const headers = onPreflight ? pf?.hop.responseHeaders : hop.responseHeaders;
  const status = onPreflight ? pf?.hop.statusCode : hop.statusCode;
  const origin = walk.requestOrigin;
  const base = {
    origin: c.pageOrigin,
    requestOrigin: origin,
    target: originOf(hop.url) ?? hop.url,
    url: hop.url,
    method: hop.method,
    status: status === undefined ? undefined : String(status),
  };
  const p = symptom.failedParameter;
  switch (symptom.corsError) {
    case 'MissingAllowOriginHeader':
    case 'PreflightMissingAllowOriginHeader': {
      const others = otherCorsHeaders(headers);
      if (!onPreflight && isRedirectStatus(status)) {
        const location = resolveUrl(getHeader(headers, 'location'), hop.url) ?? undefined;
        return causeRef('redirect-without-cors', 'certain', { ...base, status: String(status), location });
      }
      if (status !== undefined && status >= 500)
        return causeRef('server-error-without-cors', 'likely', { ...base, status: String(status) });
      if (onPreflight && (status === 401 || status === 403))
        return causeRef('preflight-auth', 'likely', { ...base, status: String(status) });
      if (onPreflight && (status === 404 || status === 405))
        return causeRef('preflight-not-routed', others.length ? 'possible' : 'likely', {
          ...base,
          status: String(status),
        });
      if (origin === 'null' && c.pageOrigin !== 'null')
        return causeRef('origin-null-after-redirect', others.length ? 'likely' : 'possible', {
          ...base,
          present: others.join(', ') || undefined,
        });
      if (others.length) return causeRef('origin-not-allowed', 'likely', { ...base, present: others.join(', ') });
      if (onPreflight && status !== undefined && status >= 200 && status <= 299)
        return causeRef('preflight-without-cors', 'likely', { ...base, status: String(status) });
      if (onPreflight && status === 400)
        return causeRef('origin-not-allowed', 'possible', { ...base, present: 'a 400 answer to the preflight' });
      const allow = getHeader(headers, 'allow');
      return causeRef('no-cors-config', 'likely', {
        ...base,
        allow: onPreflight && allow !== null ? allow : undefined,
      });
    }
    case 'AllowOriginMismatch':
    case 'PreflightAllowOriginMismatch': {
      if (origin === 'null' && p === c.pageOrigin)
        return causeRef('origin-null-after-redirect', 'certain', { ...base, sent: p });
      const miss = nearMiss(p, origin);
      if (miss)
        return causeRef('origin-typo', 'certain', {
          ...base,
          sent: p,
          corrected: origin,
          difference: differenceText(miss, origin, p),
        });
      return causeRef('origin-not-allowed', 'likely', { ...base, sent: p, allowed: p });
    }
    case 'InvalidAllowOriginValue':
    case 'PreflightInvalidAllowOriginValue': {
      const miss = nearMiss(p, origin);
      if (miss)
        return causeRef('origin-typo', 'certain', {
          ...base,
          sent: p,
          corrected: origin,
          difference: differenceText(miss, origin, p),
        });
      return causeRef('invalid-allow-origin', 'certain', { ...base, sent: p, corrected: origin });
    }
    case 'MultipleAllowOriginValues':
    case 'PreflightMultipleAllowOriginValues': {
      const acao = headerLines(headers, 'access-control-allow-origin');
      const sent = acao.joined ?? p;
      if (acao.lines.length > 1)
        return causeRef('duplicate-allow-origin', 'likely', { ...base, sent, count: String(acao.lines.length) });
      const parts = sent.split(',').map((x) => x.trim());
      if (ex.browser === 'firefox' && (parts.every((x) => x === parts[0]) || parts.includes('*'))) {
        // Firefox merges repeated header lines before extensions see them.
        return causeRef('duplicate-allow-origin', 'possible', { ...base, sent, count: String(parts.length) });
      }
      if (parts.length > 1) return causeRef('allow-origin-list', 'likely', { ...base, sent, corrected: origin });
      return causeRef('invalid-allow-origin', 'certain', { ...base, sent, corrected: origin });
    }
    case 'WildcardOriginNotAllowed':
    case 'PreflightWildcardOriginNotAllowed':
      return causeRef('wildcard-with-credentials', c.credentialsSure ? 'certain' : 'possible', {
        ...base,
        header: 'Access-Control-Allow-Origin',
      });
    case 'InvalidAllowCredentials':
    case 'PreflightInvalidAllowCredentials':
      return causeRef('credentials-not-enabled', c.credentialsSure ? 'certain' : 'possible', {
        ...base,
        sent: p === '' ? '(missing)' : p,
      });
    case 'PreflightInvalidStatus': {
      if (status === 401 || status === 403)
        return causeRef('preflight-auth', 'likely', { ...base, status: String(status) });
      if (status === 404 || status === 405)
        return causeRef('preflight-not-routed', 'likely', { ...base, status: String(status) });
      if (status === 400) {
        // A CORS middleware (Starlette, …) that rejects the preflight answers 400; its lists say why.
        const acrm = getHeader(pf?.hop.requestHeaders, 'access-control-request-method');
        const methods = parseTokenList(getHeader(headers, 'access-control-allow-methods'));
        if (
          acrm !== null &&
          methods.ok &&
          methods.items.length &&
          !methods.items.includes(acrm) &&
          !methods.items.includes('*')
        ) {
          return causeRef('method-not-allowed', 'likely', {
            ...base,
            method: acrm,
            allowed: methods.items.join(', '),
            rejectedWith: '400',
          });
        }
        const allowed = parseTokenList(getHeader(headers, 'access-control-allow-headers'));
        const lower = new Set(allowed.ok ? allowed.items.map((x) => x.toLowerCase()) : []);
        const missing = walk.unsafeNames.find((n) => !lower.has(n) && !lower.has('*'));
        if (missing && allowed.ok && getHeader(headers, 'access-control-allow-headers') !== null) {
          return causeRef('header-not-allowed', 'likely', {
            ...base,
            header: missing,
            allowed: allowed.items.join(', '),
            rejectedWith: '400',
          });
        }
      }
      return causeRef('preflight-bad-status', 'certain', base);
    }
    case 'PreflightDisallowedRedirect': {
      const location = resolveUrl(getHeader(headers, 'location'), hop.url);
      return causeRef('preflight-redirected', 'certain', {
        ...base,
        location: location ?? '(no Location header)',
        kind: redirectKind(hop.url, location),
      });
    }
    case 'MethodDisallowedByPreflightResponse': {
      const acam = getHeader(headers, 'access-control-allow-methods');
      const list = parseTokenList(acam).items;
      const caseMatch = list.find((m) => m !== p && m.toUpperCase() === p.toUpperCase());
      if (caseMatch) return causeRef('method-case', 'certain', { ...base, method: p, listed: caseMatch });
      if (walk.include && list.includes('*'))
        return causeRef('wildcard-lists-with-credentials', c.credentialsSure ? 'certain' : 'possible', {
          ...base,
          header: 'Access-Control-Allow-Methods',
        });
      return causeRef('method-not-allowed', 'certain', { ...base, method: p, allowed: acam ?? '(none)' });
    }
    case 'HeaderDisallowedByPreflightResponse': {
      const acah = getHeader(headers, 'access-control-allow-headers');
      const list = parseTokenList(acah).items;
      if (walk.include && list.includes('*'))
        return causeRef('wildcard-lists-with-credentials', c.credentialsSure ? 'certain' : 'possible', {
          ...base,
          header: 'Access-Control-Allow-Headers',
        });
      return causeRef('header-not-allowed', 'certain', { ...base, header: p, allowed: acah ?? '(none)' });
    }
    case 'InvalidAllowMethodsPreflightResponse':
      return causeRef('invalid-allow-methods', 'certain', {
        ...base,
        sent: getHeader(headers, 'access-control-allow-methods') ?? '',
      });
    case 'InvalidAllowHeadersPreflightResponse':
      return causeRef('invalid-allow-headers', 'certain', {
        ...base,
        sent: getHeader(headers, 'access-control-allow-headers') ?? '',
      });
    case 'RedirectContainsCredentials': {
      const location = getHeader(hop.responseHeaders, 'location') ?? '';
      return causeRef('redirect-credentials-in-url', 'certain', { ...base, location });
    }
    case 'InsecureLocalNetwork':
    case 'InvalidLocalNetworkAccess':
    case 'LocalNetworkAccessPermissionDenied':
    case 'InsecurePrivateNetwork':
    case 'InvalidPrivateNetworkAccess':
    case 'PrivateNetworkAccessPermissionDenied':
    case 'UnexpectedPrivateNetworkAccess':
      return causeRef('local-network-access', 'likely', {
        ...base,
        secure: symptom.corsError.startsWith('Insecure') ? 'no' : 'yes',
      });
    default:
      return causeRef('blocked-unidentified', 'possible', base);
  }
}

const NOT_CORS_CODE: Record<Exclude<NetErrorKind, 'cors' | 'local-network'>, CauseCode> = {
  unreachable: 'unreachable',
  'blocked-by-client': 'blocked-by-client',
  'mixed-content': 'mixed-content',
  certificate: 'certificate-error',
  aborted: 'request-aborted',
  other: 'network-error',
};

export function notCorsCause(
  kind: Exclude<NetErrorKind, 'cors' | 'local-network'>,
  error: string,
  ex: Exchange,
  onPreflight: boolean,
): CauseRef {
  return causeRef(NOT_CORS_CODE[kind], 'certain', {
    error,
    url: ex.url,
    target: originOf(ex.url) ?? ex.url,
    origin: ex.pageOrigin,
    stage: onPreflight ? 'the OPTIONS preflight' : 'the request',
  });
}

export { parseOriginLike };
