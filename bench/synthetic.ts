// Synthetic webRequest events with the shapes and header sets Chromium 156 / Firefox ESR deliver
// for cross-origin fetches (measured, see /work/shared/notes/webrequest.md and firefox.md), in each
// browser's event order. Used by the memory benchmark (evaluated inside the real service worker,
// so this function must stay self-contained: no imports, no closures) and by unit/fuzz tests.

export type SyntheticKind = 'sendHeaders' | 'headersReceived' | 'completed' | 'errorOccurred';

export interface SyntheticOptions {
  browser: 'chrome' | 'firefox';
  /** First requestId (actual requests get even offsets, their preflights the next id). */
  firstId: number;
  count: number;
  tabId: number;
  pageOrigin: string;
  apiOrigin: string;
  /** Timestamp of the first event (ms since epoch). */
  t0: number;
}

/**
 * `count` requests: half simple GETs, half preflighted PUTs; 10% fail (a simple one
 * without Access-Control-Allow-Origin, a preflighted one whose preflight gets 404).
 * Each details object is freshly parsed, like the browser's, so no strings are shared.
 */
export function syntheticEvents(o: SyntheticOptions): Array<[SyntheticKind, Record<string, unknown>]> {
  const out: Array<[SyntheticKind, Record<string, unknown>]> = [];
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
  const reqBase: Array<[string, string]> =
    o.browser === 'chrome'
      ? [
          ['sec-ch-ua-platform', '"Linux"'],
          ['User-Agent', ua],
          ['sec-ch-ua', '"Chromium";v="156", "Not-A.Brand";v="24"'],
          ['sec-ch-ua-mobile', '?0'],
          ['Accept', '*/*'],
          ['Origin', o.pageOrigin],
          ['Sec-Fetch-Site', 'same-site'],
          ['Sec-Fetch-Mode', 'cors'],
          ['Sec-Fetch-Dest', 'empty'],
          ['Referer', o.pageOrigin + '/'],
          ['Accept-Encoding', 'gzip, deflate, br, zstd'],
          ['Accept-Language', 'en-US,en;q=0.9'],
        ]
      : [
          ['Host', o.apiOrigin.replace(/^https?:\/\//, '')],
          ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0'],
          ['Accept', '*/*'],
          ['Accept-Language', 'en-US,en;q=0.5'],
          ['Accept-Encoding', 'gzip, deflate, br, zstd'],
          ['Referer', o.pageOrigin + '/'],
          ['Origin', o.pageOrigin],
          ['Connection', 'keep-alive'],
          ['Sec-Fetch-Dest', 'empty'],
          ['Sec-Fetch-Mode', 'cors'],
          ['Sec-Fetch-Site', 'same-site'],
        ];
  const h = (pairs: Array<[string, string]>) => pairs.map(([name, value]) => ({ name, value }));
  let t = o.t0;
  const push = (kind: SyntheticKind, d: Record<string, unknown>) => {
    t += 0.25;
    // A JSON round trip gives fresh strings per event, as the browser's deserialised details do.
    out.push([kind, JSON.parse(JSON.stringify({ ...d, timeStamp: t }))]);
  };
  for (let i = 0; i < o.count; i++) {
    const a = String(o.firstId + 2 * i);
    const p = String(o.firstId + 2 * i + 1);
    const preflighted = i % 2 === 1;
    const fails = i % 20 === 9 || i % 20 === 4;
    const url = `${o.apiOrigin}/items/${i}?q=${(i * 2654435761) % 100000}`;
    const common = {
      tabId: o.tabId,
      frameId: 0,
      parentFrameId: -1,
      type: 'xmlhttprequest',
      initiator: o.pageOrigin,
      documentId: 'D0C1',
      documentLifecycle: 'active',
      frameType: 'outermost_frame',
    };
    const date = new Date(t).toUTCString();
    const respOk: Array<[string, string]> = [
      ['Access-Control-Allow-Origin', o.pageOrigin],
      ['Vary', 'Origin'],
      ['Content-Type', 'application/json; charset=utf-8'],
      ['Content-Length', String(40 + (i % 50))],
      ['ETag', `W/"${(i * 7919).toString(16)}-abc"`],
      ['Date', date],
      ['Connection', 'keep-alive'],
      ['Keep-Alive', 'timeout=5'],
    ];
    const respNoAcao = respOk.filter(([n]) => n !== 'Access-Control-Allow-Origin');
    const actual = { ...common, requestId: a, url, method: preflighted ? 'PUT' : 'GET' };
    const reqHeaders = h(preflighted ? [...reqBase, ['Content-Type', 'application/json']] : reqBase);
    const pre = { ...common, requestId: p, url, method: 'OPTIONS' };
    const preReq = h([
      ...reqBase.filter(([n]) => n !== 'Accept'),
      ['Accept', '*/*'],
      ['Access-Control-Request-Method', 'PUT'],
      ['Access-Control-Request-Headers', 'content-type'],
    ]);
    const preOk: Array<[string, string]> = [
      ['Access-Control-Allow-Origin', o.pageOrigin],
      ['Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE'],
      ['Access-Control-Allow-Headers', 'content-type'],
      ['Access-Control-Max-Age', '0'],
      ['Date', date],
      ['Content-Length', '0'],
    ];
    const ip = { ip: '127.0.0.1', fromCache: false };
    if (!preflighted) {
      if (o.browser === 'chrome' || !fails) {
        push('sendHeaders', { ...actual, requestHeaders: reqHeaders });
        push('headersReceived', {
          ...actual,
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h(fails ? respNoAcao : respOk),
        });
        if (fails) push('errorOccurred', { ...actual, error: 'net::ERR_FAILED', ...ip });
        else
          push('completed', {
            ...actual,
            statusCode: 200,
            statusLine: 'HTTP/1.1 200 OK',
            responseHeaders: h(respOk),
            ...ip,
          });
      } else {
        // Firefox reports a blocked simple request as completed.
        push('sendHeaders', { ...actual, requestHeaders: reqHeaders });
        push('headersReceived', {
          ...actual,
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h(respNoAcao),
        });
        push('completed', {
          ...actual,
          statusCode: 200,
          statusLine: 'HTTP/1.1 200 OK',
          responseHeaders: h(respNoAcao),
          ...ip,
        });
      }
      continue;
    }
    const preStatus = fails ? 404 : 204;
    const preResp = fails
      ? ([
          ['Content-Type', 'text/plain'],
          ['Date', date],
          ['Content-Length', '9'],
        ] as Array<[string, string]>)
      : preOk;
    if (o.browser === 'firefox') push('sendHeaders', { ...actual, requestHeaders: reqHeaders });
    push('sendHeaders', { ...pre, requestHeaders: preReq });
    push('headersReceived', {
      ...pre,
      statusCode: preStatus,
      statusLine: `HTTP/1.1 ${preStatus}`,
      responseHeaders: h(preResp),
    });
    if (fails) {
      if (o.browser === 'chrome') {
        push('completed', {
          ...pre,
          statusCode: preStatus,
          statusLine: `HTTP/1.1 ${preStatus}`,
          responseHeaders: h(preResp),
          ...ip,
        });
        push('errorOccurred', { ...actual, error: 'net::ERR_FAILED' });
      } else {
        push('errorOccurred', { ...pre, error: 'NS_ERROR_DOM_BAD_URI' });
        push('errorOccurred', { ...actual, error: 'NS_ERROR_DOM_BAD_URI' });
      }
      continue;
    }
    push('completed', {
      ...pre,
      statusCode: 204,
      statusLine: 'HTTP/1.1 204 No Content',
      responseHeaders: h(preOk),
      ...ip,
    });
    if (o.browser === 'chrome') push('sendHeaders', { ...actual, requestHeaders: reqHeaders });
    push('headersReceived', { ...actual, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', responseHeaders: h(respOk) });
    push('completed', { ...actual, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', responseHeaders: h(respOk), ...ip });
  }
  return out;
}
