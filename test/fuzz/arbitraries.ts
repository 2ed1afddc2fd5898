// fast-check generators for hostile and malformed webRequest input: what a buggy or malicious
// server, a strange page, or a browser quirk can put in front of CORS Lens.
import fc from 'fast-check';
import { syntheticEvents } from '../../bench/synthetic';
import type { EventKind } from '../../src/core/types';

export const KINDS: EventKind[] = ['sendHeaders', 'headersReceived', 'completed', 'errorOccurred'];

const CORS_NAMES = [
  'Origin',
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'Access-Control-Allow-Private-Network',
  'Location',
  'Cookie',
  'Set-Cookie',
  'Authorization',
  'Content-Type',
  'Vary',
];

/** Random casing of a string: ORIGIN, origin, oRiGiN. */
const casing = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((bs) => [...s].map((c, i) => (bs[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

/** Strings with control bytes, NUL, lone surrogates, RTL marks, emoji, markup and script. */
export const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '*',
    'null',
    'NULL',
    'true',
    'TRUE',
    ',',
    ', ,',
    '\u0000',
    '\r\n',
    '\ud800',
    '\u202e',
    '😀',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'javascript:alert(1)',
    '${7*7}',
    '{{constructor.constructor("alert(1)")()}}',
    'http://127.0.0.1:3000',
    'http://127.0.0.1:3000/',
    'http://localhost:3000',
    'https://a.test, https://b.test',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    // Shell: an export that pastes these unquoted into a curl command would create the marker file.
    '$(touch $PWNED_MARKER)',
    '`touch $PWNED_MARKER`',
    "'; touch $PWNED_MARKER; echo '",
    '"; touch $PWNED_MARKER; echo "',
    '\ntouch $PWNED_MARKER\n',
    // Markdown: break out of a table cell or code fence.
    '| a | b |',
    '```\n<script>x</script>\n```',
    '[x](javascript:alert(1))',
    '<!-- x -->',
  ),
);

export const headerName = fc.oneof(
  fc.constantFrom(...CORS_NAMES).chain(casing),
  fc.string({ minLength: 0, maxLength: 30 }),
  fc.constantFrom('__proto__', 'constructor', ' origin', 'origin ', 'Origin\u0000', 'ORIGIN'),
);

const header = fc.oneof(
  { weight: 8, arbitrary: fc.record({ name: headerName, value: nastyString }) },
  {
    weight: 1,
    arbitrary: fc.record({
      name: headerName,
      binaryValue: fc.array(fc.integer({ min: -5, max: 300 }), { maxLength: 40 }),
    }),
  },
  // Malformed entries a buggy browser/polyfill could hand over.
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      null,
      undefined,
      42,
      'Origin: x',
      { name: 7, value: 'x' },
      { value: 'no name' },
      { name: 'X', value: null },
      [],
    ),
  },
);

export const headers = fc.oneof(
  { weight: 6, arbitrary: fc.array(header, { maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 'headers', {}, [[]]) },
);

export const url = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'http://127.0.0.1:8000/items/1',
      'http://127.0.0.1:8000/items/1?x=1',
      'https://api.test/a',
      'http://[::1]:8000/',
      'http://xn--nxasmq6b.test/',
    ),
  },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'data:text/plain,hello',
      'data:text/html,<script>alert(1)</script>',
      'blob:http://127.0.0.1:3000/1c2d3e4f',
      'file:///etc/passwd',
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop/x.js',
      'moz-extension://5f1c2a3b-7d4e/x',
      'about:blank',
      'javascript:alert(1)',
      'ws://127.0.0.1:8000/socket',
      'ftp://x.test/',
      'not a url',
      '',
      'http://',
      'http://a b/',
      'http://127.0.0.1:99999/',
      'http://127.0.0.1:8000/<script>alert(1)</script>',
      'http://127.0.0.1:8000/?q="><img src=x onerror=alert(1)>',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

export const origin = fc.oneof(
  fc.constantFrom(
    'http://127.0.0.1:3000',
    'null',
    'http://localhost:3000',
    'https://app.test',
    'file://',
    'chrome-extension://abcdefghijklmnop',
    'moz-extension://x',
    '',
  ),
  nastyString,
);

/** One webRequest details object, fields of every type (right, wrong, missing). */
export const details = fc.record(
  {
    requestId: fc.oneof(
      fc.integer({ min: 1, max: 40 }).map(String),
      fc.constantFrom('', 'abc', '-1', '1e400', 'NaN', '__proto__'),
      fc.integer() as fc.Arbitrary<unknown>,
    ),
    tabId: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom<unknown>(NaN, Infinity, '1', null, 2 ** 53)),
    frameId: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant<unknown>('0')),
    url,
    method: fc.oneof(
      fc.constantFrom('GET', 'PUT', 'POST', 'OPTIONS', 'DELETE', 'get', 'options', 'PATCH', ''),
      nastyString,
    ),
    type: fc.constantFrom<unknown>(
      'xmlhttprequest',
      'main_frame',
      'sub_frame',
      'script',
      'font',
      'image',
      'other',
      'outermost_frame',
      '',
      7,
    ),
    timeStamp: fc.oneof(
      fc.integer({ min: 0, max: 2 ** 42 }).map((x) => x + 1_600_000_000_000),
      fc.constantFrom<unknown>(NaN, -1, Infinity, '1', undefined),
    ),
    initiator: origin,
    originUrl: url,
    documentUrl: url,
    requestHeaders: headers,
    responseHeaders: headers,
    statusCode: fc.oneof(
      fc.constantFrom(0, 200, 204, 301, 302, 303, 307, 308, 400, 404, 500, 999, -1),
      fc.constantFrom<unknown>(NaN, '200', null),
    ),
    statusLine: nastyString,
    error: fc.oneof(
      fc.constantFrom(
        'net::ERR_FAILED',
        'NS_ERROR_DOM_BAD_URI',
        'net::ERR_CONNECTION_REFUSED',
        'net::ERR_ABORTED',
        'NS_BINDING_ABORTED',
      ),
      nastyString,
    ),
    fromCache: fc.oneof(fc.boolean(), fc.constant<unknown>('yes')),
    ip: nastyString,
  },
  { requiredKeys: [] },
);

export type RawEvent = [EventKind, Record<string, unknown>];

export const rawEvent: fc.Arbitrary<RawEvent> = fc.tuple(
  fc.constantFrom(...KINDS),
  details as fc.Arbitrary<Record<string, unknown>>,
);

/**
 * A stream of events: realistic request sequences (Chromium/Firefox orders, 10% failing) with
 * random mutations, interleaved with random junk events sharing their request ids.
 */
export const eventStream = fc
  .record({
    browser: fc.constantFrom<'chrome' | 'firefox'>('chrome', 'firefox'),
    requests: fc.integer({ min: 1, max: 40 }),
    junk: fc.array(rawEvent, { maxLength: 30 }),
    mutations: fc.array(fc.tuple(fc.nat(), details as fc.Arbitrary<Record<string, unknown>>), { maxLength: 10 }),
    drop: fc.array(fc.nat(), { maxLength: 5 }),
    seed: fc.nat(),
  })
  .map(({ browser, requests, junk, mutations, drop, seed }) => {
    const events: RawEvent[] = syntheticEvents({
      browser,
      firstId: 1 + (seed % 50),
      count: requests,
      tabId: seed % 3,
      pageOrigin: 'http://127.0.0.1:3000',
      apiOrigin: 'http://127.0.0.1:8000',
      t0: Date.now(),
    });
    for (const [at, patch] of mutations) if (events.length) Object.assign(events[at % events.length]![1], patch);
    for (const at of drop) if (events.length) events.splice(at % events.length, 1);
    for (const [i, j] of junk.entries()) events.splice((seed + i * 7) % (events.length + 1), 0, j);
    return { browser, events, requests };
  });
