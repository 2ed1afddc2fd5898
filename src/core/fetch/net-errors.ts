// The browsers' network error names, sorted into what they mean for a CORS verdict.
// Chrome: net::ERR_* (net/base/net_error_list.h). Firefox: NS_ERROR_* / SEC_ERROR_* / SSL_ERROR_*.

export type NetErrorKind =
  /** The browser's generic "blocked" (every CORS failure reports this). */
  | 'cors'
  /** Blocked by Local Network Access checks. */
  | 'local-network'
  | 'unreachable'
  | 'blocked-by-client'
  | 'mixed-content'
  | 'certificate'
  | 'aborted'
  | 'other';

const UNREACHABLE = new Set([
  'net::ERR_CONNECTION_REFUSED',
  'net::ERR_CONNECTION_RESET',
  'net::ERR_CONNECTION_CLOSED',
  'net::ERR_CONNECTION_ABORTED',
  'net::ERR_CONNECTION_FAILED',
  'net::ERR_CONNECTION_TIMED_OUT',
  'net::ERR_TIMED_OUT',
  'net::ERR_EMPTY_RESPONSE',
  'net::ERR_NAME_NOT_RESOLVED',
  'net::ERR_NAME_RESOLUTION_FAILED',
  'net::ERR_ADDRESS_UNREACHABLE',
  'net::ERR_ADDRESS_INVALID',
  'net::ERR_INTERNET_DISCONNECTED',
  'net::ERR_NETWORK_CHANGED',
  'net::ERR_PROXY_CONNECTION_FAILED',
  'net::ERR_TUNNEL_CONNECTION_FAILED',
  'net::ERR_SOCKET_NOT_CONNECTED',
  'net::ERR_NETWORK_ACCESS_DENIED',
  'net::ERR_UNSAFE_PORT',
  'net::ERR_INVALID_HTTP_RESPONSE',
  'net::ERR_HTTP2_PROTOCOL_ERROR',
  'net::ERR_QUIC_PROTOCOL_ERROR',
  'NS_ERROR_CONNECTION_REFUSED',
  'NS_ERROR_NET_RESET',
  'NS_ERROR_NET_TIMEOUT',
  'NS_ERROR_NET_INTERRUPT',
  'NS_ERROR_UNKNOWN_HOST',
  'NS_ERROR_NET_EMPTY_RESPONSE',
  'NS_ERROR_OFFLINE',
  'NS_ERROR_PROXY_CONNECTION_REFUSED',
  'NS_ERROR_UNKNOWN_PROXY_HOST',
  'NS_ERROR_NET_ON_CONNECTING_TO',
  'NS_ERROR_NET_ON_RESOLVING',
  'NS_ERROR_PORT_ACCESS_NOT_ALLOWED',
  'NS_ERROR_NET_PARTIAL_TRANSFER',
]);

const BLOCKED_BY_CLIENT = new Set([
  'net::ERR_BLOCKED_BY_CLIENT',
  'net::ERR_BLOCKED_BY_ADMINISTRATOR',
  'net::ERR_BLOCKED_BY_RESPONSE',
  'net::ERR_BLOCKED_BY_CSP',
  'NS_ERROR_ABORT',
  'NS_ERROR_BLOCKED_BY_POLICY',
  'NS_ERROR_TRACKING_URI',
  'NS_ERROR_FINGERPRINTING_URI',
  'NS_ERROR_CRYPTOMINING_URI',
  'NS_ERROR_SOCIALTRACKING_URI',
  'NS_ERROR_EMAILTRACKING_URI',
  'NS_ERROR_CONTENT_BLOCKED',
]);

const ABORTED = new Set(['net::ERR_ABORTED', 'NS_BINDING_ABORTED', 'NS_ERROR_ABORTED']);

/** Classifies a webRequest error string. */
export function classifyNetError(error: string): NetErrorKind {
  if (error === 'net::ERR_FAILED' || error === 'NS_ERROR_DOM_BAD_URI') return 'cors';
  if (
    error === 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' ||
    error === 'net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS' ||
    error === 'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED'
  )
    return 'local-network';
  if (UNREACHABLE.has(error)) return 'unreachable';
  if (BLOCKED_BY_CLIENT.has(error)) return 'blocked-by-client';
  if (ABORTED.has(error)) return 'aborted';
  if (
    error === 'net::ERR_BLOCKED_BY_MIXED_CONTENT' ||
    error === 'NS_ERROR_MIXED_CONTENT' ||
    /MIXED_CONTENT/.test(error)
  )
    return 'mixed-content';
  if (
    /^net::ERR_(CERT_|SSL_)|^net::ERR_BAD_SSL|^SEC_ERROR_|^SSL_ERROR_|^MOZILLA_PKIX_ERROR_|^NS_ERROR_GENERATE_FAILURE\(NS_ERROR_MODULE_SECURITY/.test(
      error,
    )
  )
    return 'certificate';
  // Firefox's webRequest reports certificate failures as a sentence, e.g. "The certificate is not
  // trusted because it is self-signed."
  if (/certificate|SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX/i.test(error)) return 'certificate';
  return 'other';
}
