// Recognizing a Probe's exchange among the page's requests: an OPTIONS request carrying the probe
// header. Its value (the unique id) is visible on the actual request's headers; when the preflight
// failed, Chromium never reports those, and only the preflight's Access-Control-Request-Headers
// names the header.
import { getHeader } from '../headers';
import { parseRequestHeaderList } from '../fetch/safelist';
import type { Exchange } from '../types';
import { PROBE_HEADER } from './types';

const NAME = PROBE_HEADER.toLowerCase();

/** Null when the exchange is not a probe; else the probe id, when the browser showed it. */
export function probeMark(ex: Exchange): { id: string | null } | null {
  if (ex.method.toUpperCase() !== 'OPTIONS') return null;
  const id = getHeader(ex.hops[0]?.requestHeaders, NAME);
  if (id !== null) return { id: id.trim() };
  for (const p of ex.preflights) {
    if (parseRequestHeaderList(getHeader(p.hop.requestHeaders, 'access-control-request-headers')).includes(NAME))
      return { id: null };
  }
  return null;
}
