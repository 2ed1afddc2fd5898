import { toHeaders } from './headers';
import { originOf } from './origin';
import type { EventKind, EventRecord } from './types';

/**
 * Turns a webRequest details object (Chrome or Firefox shape) into an EventRecord.
 * Pure and total: unknown or malformed fields are dropped, never thrown on.
 */
export function normalizeEvent(kind: EventKind, d: Record<string, unknown>): EventRecord {
  const rec: EventRecord = {
    kind,
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value, made a string; the browser gives a string
    requestId: String(d.requestId ?? ''),
    tabId: typeof d.tabId === 'number' ? d.tabId : -1,
    frameId: typeof d.frameId === 'number' ? d.frameId : 0,
    url: typeof d.url === 'string' ? d.url : '',
    method: typeof d.method === 'string' ? d.method : 'GET',
    type: typeof d.type === 'string' ? d.type : 'other',
    timeStamp: typeof d.timeStamp === 'number' ? d.timeStamp : 0,
  };
  // Chrome reports the initiating origin; Firefox the initiating URL.
  if (typeof d.initiator === 'string') rec.initiator = d.initiator;
  else if (typeof d.originUrl === 'string') {
    const o = originOfCached(d.originUrl);
    if (o) rec.initiator = o;
  }
  if (typeof d.documentUrl === 'string') rec.documentUrl = d.documentUrl;
  const reqH = toHeaders(d.requestHeaders);
  if (reqH) rec.requestHeaders = reqH;
  const resH = toHeaders(d.responseHeaders);
  if (resH) rec.responseHeaders = resH;
  if (typeof d.statusCode === 'number') rec.statusCode = d.statusCode;
  if (typeof d.statusLine === 'string') rec.statusLine = d.statusLine;
  if (typeof d.error === 'string') rec.error = d.error;
  if (typeof d.fromCache === 'boolean') rec.fromCache = d.fromCache;
  if (typeof d.ip === 'string') rec.ip = d.ip;
  return rec;
}

// A page's requests share their originUrl: parse it once, not per event.
let lastOriginUrl = '';
let lastOrigin: string | null = null;
function originOfCached(url: string): string | null {
  if (url !== lastOriginUrl) {
    lastOriginUrl = url;
    lastOrigin = originOf(url);
  }
  return lastOrigin;
}
