// The shape of CORS Lens's judgement of one exchange. The engine (src/core/check.ts) fills it;
// the panel, exports and snippets only read it.
import type { ProbeFinding, RetryLink } from './probe/types';

import type { CauseCode } from './causes';
import type { Facts } from './cause-facts';
import type { RuleId } from './rule-ids';
import type { Expectation } from './expectation';

/** Chromium's `Network.CorsError` values (CDP), including the Local Network Access names. */
export const CORS_ERRORS = [
  'DisallowedByMode',
  'InvalidResponse',
  'WildcardOriginNotAllowed',
  'MissingAllowOriginHeader',
  'MultipleAllowOriginValues',
  'InvalidAllowOriginValue',
  'AllowOriginMismatch',
  'InvalidAllowCredentials',
  'CorsDisabledScheme',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'PreflightMissingAllowExternal',
  'PreflightInvalidAllowExternal',
  'InvalidAllowMethodsPreflightResponse',
  'InvalidAllowHeadersPreflightResponse',
  'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse',
  'RedirectContainsCredentials',
  'InsecurePrivateNetwork',
  'InvalidPrivateNetworkAccess',
  'UnexpectedPrivateNetworkAccess',
  'NoCorsRedirectModeNotFollow',
  'PreflightMissingPrivateNetworkAccessId',
  'PreflightMissingPrivateNetworkAccessName',
  'PrivateNetworkAccessPermissionUnavailable',
  'PrivateNetworkAccessPermissionDenied',
  'InsecureLocalNetwork',
  'InvalidLocalNetworkAccess',
  'LocalNetworkAccessPermissionDenied',
] as const;
export type CorsErrorName = (typeof CORS_ERRORS)[number];

/** Firefox's reason keys (security.properties) for "Cross-Origin Request Blocked" messages. */
export type FirefoxReason =
  | 'CORSDisabled'
  | 'CORSDidNotSucceed'
  | 'CORSRequestNotHttp'
  | 'CORSMissingAllowOrigin'
  | 'CORSMultipleAllowOriginNotAllowed'
  | 'CORSAllowOriginNotMatchingOrigin'
  | 'CORSNotSupportingCredentials'
  | 'CORSMethodNotFound'
  | 'CORSMissingAllowCredentials'
  | 'CORSPreflightDidNotSucceed'
  | 'CORSInvalidAllowMethod'
  | 'CORSInvalidAllowHeader'
  | 'CORSMissingAllowHeaderFromPreflight'
  | 'CORSExternalRedirectNotAllowed'
  | 'CORSOriginHeaderNotAdded';

/**
 * Every Firefox reason key (MDN's names; Firefox's security.properties adds a version suffix to
 * some: CORSMissingAllowOrigin2, CORSDidNotSucceed2, CORSPreflightDidNotSucceed3,
 * CORSMissingAllowHeaderFromPreflight2).
 */
export const FIREFOX_REASONS: readonly FirefoxReason[] = [
  'CORSDisabled',
  'CORSDidNotSucceed',
  'CORSRequestNotHttp',
  'CORSMissingAllowOrigin',
  'CORSMultipleAllowOriginNotAllowed',
  'CORSAllowOriginNotMatchingOrigin',
  'CORSNotSupportingCredentials',
  'CORSMethodNotFound',
  'CORSMissingAllowCredentials',
  'CORSPreflightDidNotSucceed',
  'CORSInvalidAllowMethod',
  'CORSInvalidAllowHeader',
  'CORSMissingAllowHeaderFromPreflight',
  'CORSExternalRedirectNotAllowed',
  'CORSOriginHeaderNotAdded',
];

/** Where in the exchange a rule applies. */
export type Stage = 'request' | 'preflight' | 'response' | 'redirect';

/** What the browser reports for a blocked exchange. */
export interface Symptom {
  corsError: CorsErrorName;
  /** CDP `failedParameter`: the offending value (ACAO received, disallowed method/header, …), or "". */
  failedParameter: string;
  firefoxReason?: FirefoxReason;
  /** The parameter in Firefox's reason when it differs from failedParameter (e.g. the bad token). */
  firefoxParameter?: string;
  stage: Stage;
  /** Which hop of the redirect chain failed (0 = the first URL). */
  hopIndex: number;
}

/** One rule the engine checked: the rows of the side-by-side view. */
export interface EvidenceRow {
  stage: Stage;
  /** Stable rule id (src/core/rule-ids.ts); a saved report's unknown id is read as 'other'. */
  rule: RuleId;
  /** Header name, or a pseudo-field like `status`, `method`, `redirect`. */
  field: string;
  /** What the rule expected, as typed values (set on the CORS rules' rows). */
  expected?: Expectation;
  /** What the rule needed, in words: for people only, never parsed. */
  needed: string;
  /** What was sent; null when the header was missing (distinct from ""). */
  sent: string | null;
  result: 'pass' | 'fail' | 'warn' | 'info';
  /** Link to the Fetch-standard section the rule implements. */
  spec?: string;
  hopIndex: number;
  /** The method or header name a per-item rule is about (e.g. which request header). */
  subject?: string;
  /** Set on the row whose failure is the verdict's symptom. */
  decisive?: boolean;
}

/**
 * `uncertain`: the rules block the request under one credentials assumption and pass it under the
 * other, webRequest cannot see which one held, and the browser gave no failure signal (Firefox
 * reports a blocked simple request as completed). Never shown or counted as a pass; `branches`
 * carries both outcomes, `symptom`/`cause` are the blocking branch's.
 */
export type Outcome = 'pass' | 'blocked' | 'uncertain' | 'not-cors' | 'pending';
export type Confidence = 'certain' | 'likely' | 'possible';
export type CredentialsMode = 'include' | 'not-include' | 'unknown';

/**
 * How the credentials mode (invisible to webRequest) was settled: a Cookie header on the request,
 * the browser's own outcome (only one assumption explains it), not needed (both assumptions give
 * the same verdict), the page's own report of its fetch/XHR call (page view), or not at all (then
 * `branches` carries both).
 */
export type CredentialsBasis = 'cookie-header' | 'browser-outcome' | 'page-view' | 'not-needed' | 'unknown';

export interface CauseRef {
  /** Key into the cause catalogue (src/core/causes.ts). */
  code: CauseCode;
  confidence: Confidence;
  /** Facts that fill the catalogue's text (which ones each cause needs: src/core/cause-facts.ts). */
  facts: Facts;
}

export interface Branch {
  assumption: 'credentials-include' | 'credentials-omit';
  /** A branch is decided: never 'uncertain'. */
  outcome: Exclude<Outcome, 'uncertain'>;
  symptom?: Symptom;
  cause?: CauseRef;
}

export interface Verdict {
  outcome: Outcome;
  symptom?: Symptom;
  /** Present when webRequest cannot see what decides (credentials mode): the verdict per assumption. */
  branches?: Branch[];
  credentials: CredentialsMode;
  /** How `credentials` was decided (see CredentialsBasis). */
  credentialsBasis?: CredentialsBasis;
  preflight: {
    /** Whether the Fetch rules require a preflight for this request. */
    needed: boolean | 'unknown';
    /** Why: "method PUT is not safelisted", "header x-api-key", … */
    reasons: string[];
    /** A preflight was seen on the wire for the failing/last hop. */
    seen: boolean;
    /** Needed but never seen: answered from the preflight cache. */
    fromCache: boolean;
  };
  evidence: EvidenceRow[];
  /** For outcome 'not-cors': the network error as the browser named it. */
  networkError?: string;
  cause?: CauseRef;
  warnings: CauseRef[];
  /** What a Probe from the page found (src/core/probe); `cause` is then the refined one. */
  probe?: ProbeFinding;
  /** Set on a Retry's own entry: the entry id it re-sent. */
  retryOf?: string;
  /** Set on the original: its latest Retry's outcome. */
  retry?: RetryLink;
}
