import { describe, expect, it } from 'vitest';
import { reportSnippets } from '../../../src/core/snippets/report';
import type { LogEntry } from '../../../src/core/log';

const entry = (server: string): LogEntry => ({
  id: '1',
  seq: 1,
  nav: 0,
  exchange: {
    id: '1',
    requestId: '1',
    browser: 'chrome',
    tabId: 1,
    frameId: 0,
    type: 'xmlhttprequest',
    method: 'GET',
    url: 'http://127.0.0.1:8000/items',
    pageOrigin: 'http://localhost:3000',
    startTime: 1,
    state: 'error',
    error: 'net::ERR_FAILED',
    hops: [
      {
        url: 'http://127.0.0.1:8000/items',
        method: 'GET',
        requestHeaders: [{ name: 'Origin', value: 'http://localhost:3000' }],
        statusCode: 200,
        responseHeaders: [{ name: 'server', value: server }],
      },
    ],
    preflights: [],
  },
  verdict: {
    outcome: 'blocked',
    credentials: 'not-include',
    symptom: { corsError: 'MissingAllowOriginHeader', failedParameter: '', stage: 'response', hopIndex: 0 },
    preflight: { needed: false, reasons: [], seen: false, fromCache: false },
    evidence: [],
    warnings: [],
    cause: { code: 'no-cors-config', confidence: 'likely', facts: { origin: 'http://localhost:3000' } },
  },
});

describe('reportSnippets', () => {
  it('puts the detected stack first and names the exact page origin', () => {
    const s = reportSnippets(entry('uvicorn'));
    expect(s[0]?.stack).toBe('fastapi');
    expect(s[0]?.code).toContain('http://localhost:3000');
  });

  it('falls back to the most common stacks when nothing is detected', () => {
    const s = reportSnippets(entry('mystery'));
    expect(s.map((x) => x.stack)).toHaveLength(3);
    for (const x of s) expect(x.code).toContain('http://localhost:3000');
  });
});

describe('request headers the snippet allows', () => {
  it('never adds browser-default safelisted headers (Accept, Accept-Language) for a simple GET', () => {
    const e = entry('mystery');
    e.exchange.hops[0]!.requestHeaders!.push(
      { name: 'Accept', value: '*/*' },
      { name: 'Accept-Language', value: 'en-US,en;q=0.9' },
      { name: 'X-Api-Key', value: 'k' },
    );
    const code = reportSnippets(e, 1)[0]!.code.toLowerCase();
    expect(code).toContain('x-api-key');
    expect(code).not.toContain('accept-language');
  });
});
