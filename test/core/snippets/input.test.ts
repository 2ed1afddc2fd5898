import { describe, expect, it } from 'vitest';
import { generateSnippet } from '../../../src/core/snippets';
import { buildSnippetInput, ORIGIN_PLACEHOLDER } from '../../../src/core/snippets/input';
import { entry, PAGE, SCENARIOS, type Scenario } from './fixtures';

const input = (s: Scenario) => buildSnippetInput(entry(s))!;
const withoutCause = (s: Scenario): Scenario => ({ ...s, cause: undefined, verdict: { ...s.verdict } });

describe('buildSnippetInput', () => {
  it('reads the exact page origin and what the preflight asked for', () => {
    const i = input(SCENARIOS['method-not-allowed']!);
    expect(i.origin).toBe(PAGE);
    expect(i.originKnown).toBe(true);
    expect(i.requestMethods).toEqual(['PUT']);
    expect(i.requestHeaders).toEqual(['content-type', 'x-api-key']);
    expect(i.preflight).toBe(true);
    expect(i.stage).toBe('preflight');
  });

  it('offers no diff when the preflight answer hides the list this request needs (flask-cors omits Allow-Methods for a method it refuses)', () => {
    const e = entry({
      method: 'PUT',
      requestHeaders: [['Content-Type', 'application/json']],
      preflight: {
        status: 200,
        requestHeaders: [['Access-Control-Request-Headers', 'content-type']],
        headers: [
          ['Server', 'Werkzeug/2.2.2 Python/3.11.2'],
          ['Access-Control-Allow-Origin', PAGE],
        ],
      },
      response: null,
      cause: 'method-not-allowed',
    });
    const i = buildSnippetInput(e)!;
    expect(i.current).toBeNull();
    expect(i.config.methods).toContain('PUT');
    expect(generateSnippet('flask', i).diff).toBeNull();
  });

  it('turns the observed config into the minimal change (add PUT, keep the rest)', () => {
    const i = input(SCENARIOS['method-not-allowed']!);
    expect(i.current).toMatchObject({
      origins: [PAGE],
      methods: ['GET', 'POST'],
      headers: ['content-type', 'x-api-key'],
      maxAge: 600,
    });
    expect(i.config).toMatchObject({
      origins: [PAGE],
      methods: ['GET', 'POST', 'PUT'],
      headers: ['content-type', 'x-api-key'],
      credentials: false,
      maxAge: 600,
    });
    expect(i.added).toMatchObject({ methods: ['PUT'], headers: [], credentials: false });
  });

  it('adds a missing header (Authorization listed explicitly)', () => {
    const i = input(SCENARIOS['header-not-allowed']!);
    expect(i.added.headers).toEqual(['authorization']);
    expect(i.config.headers).toEqual(['authorization', 'content-type']);
  });

  it('uses the engine cause when there is one, and derives the same cause from the headers when not', () => {
    const derivable = [
      'no-cors-config',
      'origin-typo',
      'method-not-allowed',
      'header-not-allowed',
      'wildcard-with-credentials',
      'credentials-not-enabled',
      'server-error-without-cors',
      'preflight-auth',
      'preflight-redirected',
      'duplicate-allow-origin',
      'origin-not-allowed',
    ];
    for (const code of derivable) {
      const s = SCENARIOS[code]!;
      expect(input(s).cause).toEqual({ code, source: 'engine', confidence: 'certain' });
      expect(input(withoutCause(s)).cause, code).toEqual({ code, source: 'derived', confidence: 'likely' });
    }
  });

  it('derives method-not-allowed behind a 400 preflight (Starlette answers a disallowed method with 400)', () => {
    const i = input({
      method: 'PUT',
      preflight: {
        status: 400,
        headers: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Methods', 'GET'],
          ['Vary', 'Origin'],
        ],
      },
      response: null,
    });
    expect(i.cause?.code).toBe('method-not-allowed');
    expect(i.config.methods).toEqual(['GET', 'PUT']);
  });

  it('maps causes to structural steps', () => {
    expect(input(SCENARIOS['server-error-without-cors']!).steps).toEqual(['errors-carry-cors', 'fix-crash']);
    expect(input(SCENARIOS['preflight-auth']!).steps).toEqual(['preflight-before-auth']);
    const r = input(SCENARIOS['preflight-redirected']!);
    expect(r.steps).toEqual(['stop-redirect']);
    expect(r.location).toBe('http://localhost:8000/api/items/');
  });

  it('keeps the current allow-lists from the preflight when the actual response crashed', () => {
    const i = input(SCENARIOS['server-error-without-cors']!);
    expect(i.observed?.from).toBe('preflight');
    expect(i.config.methods).toEqual(['GET', 'POST']);
    expect(i.status).toBe(500);
  });

  describe('credentials', () => {
    it('are needed when the request carried a cookie, and "*" is dropped', () => {
      const i = input(SCENARIOS['wildcard-with-credentials']!);
      expect(i.credentials).toBe('yes');
      expect(i.config.origins).toEqual([PAGE]);
      expect(i.config.credentials).toBe(true);
      expect(i.steps).toContain('no-wildcard-credentials');
    });
    it('are deduced when only the credentialed branch fails and the browser blocked it', () => {
      const i = input({
        response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] },
        verdict: {
          branches: [
            { assumption: 'credentials-include', outcome: 'blocked' },
            { assumption: 'credentials-omit', outcome: 'pass' },
          ],
        },
      });
      expect(i.credentials).toBe('yes');
      expect(i.cause?.code).toBe('wildcard-with-credentials');
      expect(i.config.origins).toEqual([PAGE]);
    });
    it('are "maybe" when the branches differ and nothing decides; the origin stays exact', () => {
      const i = buildSnippetInput(
        entry({
          response: { status: 200, headers: [['Access-Control-Allow-Origin', '*']] },
          state: 'completed',
          verdict: {
            outcome: 'pass',
            warnings: [{ code: 'warn-missing-vary-origin', confidence: 'possible', facts: {} }],
            branches: [
              { assumption: 'credentials-include', outcome: 'blocked' },
              { assumption: 'credentials-omit', outcome: 'pass' },
            ],
          },
        }),
      )!;
      expect(i.credentials).toBe('maybe');
      expect(i.config.credentials).toBe(false);
      expect(i.config.origins).toEqual([PAGE]);
    });
    it('are kept when the server already allows them', () => {
      expect(
        input({
          method: 'PUT',
          preflight: {
            status: 200,
            headers: [
              ['Access-Control-Allow-Origin', PAGE],
              ['Access-Control-Allow-Credentials', 'true'],
              ['Access-Control-Allow-Methods', 'GET'],
            ],
          },
          response: null,
        }).config.credentials,
      ).toBe(true);
    });
  });

  it('keeps another allowed origin and adds the page origin', () => {
    const i = input(SCENARIOS['other-origin-kept']!);
    expect(i.config.origins).toEqual(['https://app.example.com', PAGE]);
    expect(i.added.origins).toEqual([PAGE]);
  });

  it('replaces a near-miss origin instead of keeping it', () => {
    const i = input(SCENARIOS['origin-typo']!);
    expect(i.config.origins).toEqual([PAGE]);
  });

  it('marks other allowed origins it cannot see (CORS headers without Allow-Origin)', () => {
    const i = input(SCENARIOS['origin-not-allowed']!);
    expect(i.config.otherOrigins).toBe(true);
    expect(i.current).toBeNull();
  });

  it('suggests exposing custom response headers, not infrastructure ones', () => {
    const i = input({
      response: {
        status: 200,
        headers: [
          ['X-Total-Count', '3'],
          ['X-Powered-By', 'Express'],
          ['ETag', '"x"'],
          ['Content-Type', 'application/json'],
        ],
      },
    });
    expect(i.config.exposeHeaders).toEqual(['etag', 'x-total-count']);
  });

  it('uses a placeholder, never a wildcard, when the page origin is unknown', () => {
    const i = input({ origin: null, response: { status: 200 } });
    expect(i.originKnown).toBe(false);
    expect(i.origin).toBe(ORIGIN_PLACEHOLDER);
    expect(i.config.origins).toEqual([ORIGIN_PLACEHOLDER]);
  });

  it("falls back to the request's own non-safelisted headers when no preflight was on the wire (cached)", () => {
    const i = input({
      method: 'PUT',
      requestHeaders: [
        ['Content-Type', 'text/plain'],
        ['X-Api-Key', 'k'],
        ['User-Agent', 'x'],
        ['Cookie', 'a=1'],
        ['Cache-Control', 'no-cache'],
        ['Sec-Fetch-Mode', 'cors'],
      ],
      response: { status: 200 },
    });
    expect(i.requestHeaders).toEqual(['x-api-key']);
    expect(i.preflight).toBe(true);
  });

  it('drops hostile names from headers before they can reach a snippet', () => {
    const i = input({
      method: 'POST',
      preflight: {
        requestHeaders: [['Access-Control-Request-Headers', 'x-ok,x"bad,x\nnew,$(rm -rf),x-fine']],
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Methods', 'POST, "GET"'],
          ['Access-Control-Allow-Headers', 'x-ok'],
        ],
      },
      response: null,
    });
    expect(i.requestHeaders).toEqual(['x-fine', 'x-ok']);
    expect(i.config.methods).toEqual(['POST']);
  });

  it('returns null when no server config can fix it', () => {
    expect(
      buildSnippetInput(entry({ verdict: { outcome: 'not-cors', networkError: 'net::ERR_CONNECTION_REFUSED' } })),
    ).toBeNull();
    expect(buildSnippetInput(entry({ cause: 'unreachable' }))).toBeNull();
    expect(buildSnippetInput(entry({ state: 'completed', verdict: { outcome: 'pass' } }))).toBeNull();
    expect(buildSnippetInput(entry({ verdict: { outcome: 'pending' } }))).toBeNull();
  });

  it('keeps the method case fetch() sent (patch stays lowercase)', () => {
    const i = input({
      method: 'patch',
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Methods', 'PATCH'],
        ],
      },
      response: null,
    });
    expect(i.requestMethods).toEqual(['patch']);
    // The engine names the more specific cause ("PATCH" is listed, "patch" was sent); snippets read it.
    expect(i.cause?.code).toBe('method-case');
    expect(i.config.methods).toContain('patch');
  });
});
