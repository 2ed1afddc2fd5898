// Every stack's snippet for every fixture scenario, as golden files (reviewed against each stack's
// official docs, cited in docs/snippets.md), plus invariants checked on random failures.
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { expectGolden } from '../../support/golden';
import { buildSnippetInput, generateSnippet, GENERATORS } from '../../../src/core/snippets';
import { STACK_IDS, type Snippet } from '../../../src/core/snippets/types';
import { entry, PAGE, SCENARIOS, type H, type Scenario } from './fixtures';

// The goldens pin the code, not the catalogue's wording (src/core/causes.ts is the single source of
// cause titles and has its own tests; test/core/snippets/common.test.ts checks a snippet carries it).
vi.mock('../../../src/core/causes', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/core/causes')>()),
  describeCause: (ref: { code: string; confidence: string }) => ({
    code: ref.code,
    kind: 'blocking',
    title: `[${ref.code}]`,
    explanation: '',
    confidence: ref.confidence,
  }),
}));

function render(s: Snippet): string {
  const out = [`# ${s.label} — ${s.title}`, ''];
  for (const p of s.parts) out.push(`## part ${p.id}: ${p.placement}`, '', p.code);
  if (s.notes.length) out.push('## notes', '', ...s.notes.map((n) => `- ${n}`), '');
  if (s.diff) out.push('## diff', '', s.diff);
  out.push('## docs', '', ...s.docs, '');
  return out.join('\n');
}

const GOLDEN = join(import.meta.dirname, 'golden');

describe.each(STACK_IDS)('%s golden snippets', (stack) => {
  it.each(Object.keys(SCENARIOS))('%s', (name) => {
    const snippet = generateSnippet(stack, buildSnippetInput(entry(SCENARIOS[name]!))!);
    expectGolden(render(snippet), join(GOLDEN, stack, `${name}.txt`));
  });
});

it('every golden file belongs to a stack and scenario (none left over)', () => {
  const expected = STACK_IDS.flatMap((stack) => Object.keys(SCENARIOS).map((name) => `${stack}/${name}.txt`)).sort();
  const found = readdirSync(GOLDEN)
    .flatMap((stack) => readdirSync(join(GOLDEN, stack)).map((f) => `${stack}/${f}`))
    .sort();
  expect(found).toEqual(expected);
});

describe('every generator', () => {
  it('has one module per stack behind the same interface', () => {
    expect(Object.keys(GENERATORS).sort()).toEqual([...STACK_IDS].sort());
    for (const id of STACK_IDS) expect(GENERATORS[id].id).toBe(id);
  });

  it('fixes the root cause, not the symptom: errors carry CORS and the crash is named', () => {
    const i = buildSnippetInput(entry(SCENARIOS['server-error-without-cors']!))!;
    for (const id of STACK_IDS) {
      const s = generateSnippet(id, i);
      expect(s.notes.join(' '), id).toMatch(/crash/);
      expect(s.diff, id).toBeNull();
    }
    expect(generateSnippet('fastapi', i).parts.find((p) => p.id === 'end')?.code).toMatch(
      /^app = CORSMiddleware\(\n {4}app,/m,
    );
    expect(generateSnippet('nginx', i).parts[0]!.code).not.toMatch(/add_header (?!.*always;).*;$/m);
    expect(generateSnippet('apache', i).parts[0]!.code).not.toMatch(/^Header set/m);
  });

  it('lets preflights through auth', () => {
    const i = buildSnippetInput(entry(SCENARIOS['preflight-auth']!))!;
    expect(generateSnippet('flask', i).parts[0]!.code).toContain('@app.before_request');
    expect(generateSnippet('fastapi', i).parts.map((p) => p.id)).toEqual(['main', 'end']);
    expect(generateSnippet('spring', i).parts[0]!.code).toContain('http.cors(Customizer.withDefaults())');
    expect(generateSnippet('django', i).parts[0]!.code).toContain(
      '"corsheaders.middleware.CorsMiddleware",\n    *(m for m in MIDDLEWARE',
    );
    expect(generateSnippet('aspnet', i).parts[1]!.code).toMatch(/UseCors[\s\S]*UseAuthentication/);
  });

  it('says which URL to call for a redirected preflight', () => {
    const i = buildSnippetInput(entry(SCENARIOS['preflight-redirected']!))!;
    for (const id of STACK_IDS)
      expect(generateSnippet(id, i).notes.join(' '), id).toContain('http://localhost:8000/api/items/');
  });

  it('offers "copy as diff" only for a minimal allow-list change', () => {
    const i = buildSnippetInput(entry(SCENARIOS['method-not-allowed']!))!;
    for (const id of STACK_IDS) {
      const d = generateSnippet(id, i).diff;
      expect(d, id).toMatch(/^--- a\//);
      expect(
        d!
          .split('\n')
          .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
          .join('\n')
          .toUpperCase(),
        id,
      ).toContain('PUT');
    }
    expect(generateSnippet('fastapi', buildSnippetInput(entry(SCENARIOS['no-cors-config']!))!).diff).toBeNull();
  });

  it('flags reflect-any-origin with credentials as unsafe', () => {
    const i = buildSnippetInput(
      entry({
        ...SCENARIOS['credentials-not-enabled']!,
        verdict: {
          credentials: 'include',
          warnings: [{ code: 'warn-reflect-any-origin-credentials', confidence: 'likely', facts: {} }],
        },
      }),
    )!;
    for (const id of STACK_IDS) expect(generateSnippet(id, i).notes.join(' '), id).toMatch(/any website can read/);
  });
});

// Random failures: origins, methods, request headers, credentials, and what the server sent.
const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/);
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    origin: fc.constantFrom(
      PAGE,
      'https://app.example.com',
      'http://127.0.0.1:5173',
      'https://xn--bcher-kva.example:8443',
    ),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'PROPFIND'),
    headers: fc.uniqueArray(
      token.map((t) => `x-${t}`),
      { maxLength: 3 },
    ),
    cookie: fc.boolean(),
    acao: fc.constantFrom(null, '*', PAGE, 'https://other.example', 'http://localhost:3000/'),
    acam: fc.constantFrom(null, 'GET', 'GET, POST', '*'),
    status: fc.constantFrom(200, 204, 400, 401, 404, 500, 302),
  })
  .map((r): Scenario => {
    const pre = r.method !== 'GET' && r.method !== 'POST' ? true : r.headers.length > 0;
    const acao: H = r.acao === null ? [] : [['Access-Control-Allow-Origin', r.acao]];
    return {
      origin: r.origin,
      method: r.method,
      requestHeaders: [
        ...r.headers.map((h): [string, string] => [h, '1']),
        ...(r.cookie ? ([['Cookie', 'a=1']] as H) : []),
      ],
      preflight: pre
        ? {
            requestHeaders: r.headers.length ? [['Access-Control-Request-Headers', r.headers.join(',')]] : [],
            status: r.status,
            headers: [
              ...acao,
              ...(r.acam ? ([['Access-Control-Allow-Methods', r.acam]] as H) : []),
              ...(r.status === 302 ? ([['Location', '/x/']] as H) : []),
            ],
          }
        : null,
      response: pre ? null : { status: r.status === 302 ? 200 : r.status, headers: acao },
      verdict: r.cookie ? { credentials: 'include' } : {},
    };
  });

describe('invariants on random failures (fast-check)', () => {
  it('every stack allows the exact origin, every method and header asked for, and never "*" with credentials', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const i = buildSnippetInput(entry(s));
        if (!i) return;
        expect(i.config.origins).toContain(s.origin);
        expect(i.config.origins).not.toContain('*');
        for (const m of i.requestMethods)
          expect(i.config.methods.includes(m) || (!i.config.credentials && i.config.methods.includes('*'))).toBe(true);
        for (const h of i.requestHeaders)
          expect(i.config.headers.includes(h) || (!i.config.credentials && i.config.headers.includes('*'))).toBe(true);
        if (s.requestHeaders?.some(([n]) => n === 'Cookie')) expect(i.config.credentials).toBe(true);
        for (const id of STACK_IDS) {
          const sn = generateSnippet(id, i);
          const code = sn.parts.map((p) => p.code).join('\n');
          expect(code, id).toContain(s.origin!);
          expect(code, id).toContain('CORS Lens');
          // Credentials never travel with a wildcard origin.
          const live = code
            .split('\n')
            .filter((l) => !/^\s*(#|\/\/)/.test(l))
            .join('\n');
          if (i.config.credentials) expect(live, id).not.toMatch(/(origins?|Origin|ORIGINS)\b[^\n]*["']\*["']/);
          for (const h of i.config.headers) if (h !== '*') expect(code.toLowerCase(), `${id} ${h}`).toContain(h);
          // Every line is printable text (nothing from headers can break out of a string or comment).
          expect(code, id).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
        }
      }),
      { numRuns: 150 },
    );
  });
});
