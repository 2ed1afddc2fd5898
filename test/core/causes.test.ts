// The cause catalogue: stable codes, complete texts, and docs/causes.md generated from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAUSE_CODES, CAUSES, describeCause, fillTemplate, type CauseCode } from '../../src/core/causes';
import { CORS_ERRORS } from '../../src/core/verdict';
import { CAUSES_DOC, renderCausesDoc } from '../../scripts/gen-causes-doc';

/** The codes shipped before the engine; they must never disappear or change meaning. */
const ORIGINAL_CODES = [
  'no-cors-config',
  'origin-not-allowed',
  'origin-typo',
  'invalid-allow-origin',
  'duplicate-allow-origin',
  'wildcard-with-credentials',
  'credentials-not-enabled',
  'method-not-allowed',
  'header-not-allowed',
  'invalid-allow-methods',
  'invalid-allow-headers',
  'preflight-auth',
  'preflight-not-routed',
  'preflight-redirected',
  'preflight-bad-status',
  'server-error-without-cors',
  'redirect-without-cors',
  'redirect-credentials-in-url',
  'local-network-access',
  'blocked-unidentified',
  'unreachable',
  'blocked-by-client',
  'mixed-content',
  'certificate-error',
  'network-error',
  'warn-wildcard-authorization',
  'warn-missing-vary-origin',
  'warn-reflect-any-origin-credentials',
];

describe('cause catalogue', () => {
  it('keeps every original code, in order, and has one entry per code', () => {
    expect(CAUSE_CODES.slice(0, ORIGINAL_CODES.length)).toEqual(ORIGINAL_CODES);
    expect(new Set(CAUSE_CODES).size).toBe(CAUSE_CODES.length);
    for (const c of CAUSE_CODES) expect(CAUSES.get(c)?.code).toBe(c);
  });

  it('has a title, explanation, fix and trigger for every cause, and only real symptoms', () => {
    for (const e of CAUSES.values()) {
      expect(e.title.length).toBeGreaterThan(5);
      expect(e.explanation.length).toBeGreaterThan(20);
      expect(e.fix.length).toBeGreaterThan(10);
      expect(e.trigger.length).toBeGreaterThan(5);
      for (const s of e.symptoms) expect(CORS_ERRORS).toContain(s);
      if (e.kind !== 'blocking') expect(e.symptoms).toEqual([]);
    }
  });

  it('never leaves a placeholder unfilled, whatever facts are missing', () => {
    for (const c of CAUSE_CODES) {
      const t = describeCause({ code: c, confidence: 'likely', facts: {} });
      for (const text of [t.title, t.explanation, t.fix]) expect(text).not.toMatch(/\{\w+\}|\[\[|\]\]/);
    }
  });

  it('fills facts and drops optional segments whose facts are unknown', () => {
    expect(fillTemplate('A {x}.[[ B {y}.]]', { x: '1' })).toBe('A 1.');
    expect(fillTemplate('A {x}.[[ B {y}.]]', { x: '1', y: '2' })).toBe('A 1. B 2.');
    expect(fillTemplate('{origin}', {})).toBe('the page origin');
    expect(fillTemplate('{sent}', { sent: 'x'.repeat(1000) }).length).toBeLessThan(310);
  });

  it('describes an unknown code neutrally instead of throwing', () => {
    expect(describeCause({ code: 'from-the-future' as CauseCode, confidence: 'possible', facts: {} })).toMatchObject({
      code: 'from-the-future',
      title: 'from-the-future',
    });
  });
});

describe('docs/causes.md', () => {
  it('is generated from the catalogue (run `npm run docs:causes` after changing src/core/causes.ts)', () => {
    expect(readFileSync(CAUSES_DOC, 'utf8')).toBe(renderCausesDoc());
  });

  it('documents every code', () => {
    const doc = renderCausesDoc();
    for (const c of CAUSE_CODES) expect(doc).toContain(`### \`${c}\``);
  });
});
