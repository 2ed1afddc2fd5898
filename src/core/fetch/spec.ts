// Links to the sections of the standards each rule implements (shown next to every evidence row).
const FETCH = 'https://fetch.spec.whatwg.org/';

export const SPEC = {
  corsCheck: `${FETCH}#cors-check`,
  acao: `${FETCH}#http-access-control-allow-origin`,
  acac: `${FETCH}#http-access-control-allow-credentials`,
  credentials: `${FETCH}#cors-protocol-and-credentials`,
  preflightFetch: `${FETCH}#cors-preflight-fetch`,
  okStatus: `${FETCH}#ok-status`,
  headerSyntax: `${FETCH}#http-new-header-syntax`,
  safelistedMethod: `${FETCH}#cors-safelisted-method`,
  safelistedHeader: `${FETCH}#cors-safelisted-request-header`,
  unsafeByte: `${FETCH}#cors-unsafe-request-header-byte`,
  unsafeNames: `${FETCH}#cors-unsafe-request-header-names`,
  nonWildcardHeader: `${FETCH}#cors-non-wildcard-request-header-name`,
  preflightCache: `${FETCH}#concept-cache`,
  redirectFetch: `${FETCH}#http-redirect-fetch`,
  taintedOrigin: `${FETCH}#concept-request-tainted-origin`,
  serializedOrigin: 'https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin',
  localNetworkAccess: 'https://wicg.github.io/local-network-access/',
} as const;
