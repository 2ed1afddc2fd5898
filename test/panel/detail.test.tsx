// @vitest-environment jsdom
// The detail pane: side-by-side rows (failing first, precise mismatch marks, missing vs empty),
// the cause card with what the browser reports, both credential outcomes, warnings apart,
// not-CORS, preflight (cached), redirect chain, copy buttons, imported badge, malformed entries.
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/log';
import { Detail } from '../../src/panel/Detail';
import { detailText, headersText } from '../../src/panel/detailText';
import {
  API,
  PAGE,
  credentialsUnknown,
  headerNotAllowed,
  methodNotAllowed,
  missingAcao,
  notCors,
  passing,
  pending,
  preflightCached,
  redirected,
  trailingSlash,
  uncertainWildcard,
} from './fixtures';

afterEach(cleanup);

function show(entry: LogEntry, importedFrom?: string) {
  const copied: string[] = [];
  const r = render(<Detail entry={entry} importedFrom={importedFrom} copy={async (t) => (copied.push(t), true)} />);
  const q = (id: string) => r.container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const qa = (id: string) => [...r.container.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  return { ...r, q, qa, copied };
}

const sbsRows = (qa: (id: string) => HTMLElement[]) =>
  qa('sbs-row').map((r) => ({
    result: r.dataset.result,
    field: r.dataset.field,
    stage: r.dataset.stage,
    sent: r.querySelector('[data-testid="sent"]')!.textContent,
  }));

describe('side by side', () => {
  it('puts the failing rule first and marks exactly the trailing slash', () => {
    const { qa, q } = show(trailingSlash());
    const rows = sbsRows(qa);
    expect(rows[0]).toEqual({
      result: 'fail',
      field: 'Access-Control-Allow-Origin',
      stage: 'response',
      sent: `${PAGE}/`,
    });
    expect(rows[1]!.result).toBe('pass');
    const fail = qa('sbs-row')[0]!;
    const marks = [...fail.querySelectorAll('[data-testid="diff"]')].map((m) => m.textContent);
    // needed side: an empty "missing here" mark; sent side: the slash
    expect(marks).toEqual(['', '/']);
    expect(q('mismatch-note')!.textContent).toMatch(/ends with a slash/);
    // the request side shows the Origin the browser sent
    expect(q('request-side')!.textContent).toContain(`Origin${PAGE}`);
  });

  it('shows Access-Control-Request-Method against Access-Control-Allow-Methods, the missing method marked', () => {
    const { qa, q } = show(methodNotAllowed());
    const rows = sbsRows(qa);
    expect(rows[0]).toMatchObject({
      result: 'fail',
      field: 'Access-Control-Allow-Methods',
      stage: 'preflight',
      sent: 'GET, POST',
    });
    const fail = qa('sbs-row')[0]!;
    expect(fail.querySelector('.missing-item')!.textContent).toBe('PUT');
    expect(q('mismatch-note')!.textContent).toBe('Not listed by the server: PUT.');
    expect(q('request-side')!.textContent).toContain('Access-Control-Request-MethodPUT');
    expect(q('request-side')!.textContent).toContain('Access-Control-Request-Headerscontent-type');
    // every Access-Control-* header of the preflight response is there, checked or not
    expect(rows.map((r) => r.field)).toContain('access-control-max-age');
    expect(rows.find((r) => r.field === 'access-control-max-age')).toMatchObject({ result: 'info', sent: '600' });
    // fail, then passes, then the unchecked headers
    expect(rows.map((r) => r.result)).toEqual(['fail', 'pass', 'pass', 'pass', 'info']);
  });

  it('tells a missing header from an empty one', () => {
    const { qa } = show(headerNotAllowed());
    const acah = qa('sbs-row').find((r) => r.dataset.field === 'Access-Control-Allow-Headers')!;
    expect(acah.querySelector('[data-testid="empty-value"]')).not.toBeNull();
    expect(acah.querySelector('[data-testid="missing"]')).toBeNull();
    expect([...acah.querySelectorAll('.missing-item')].map((m) => m.textContent)).toEqual([
      'content-type',
      'x-api-key',
    ]);
    const acac = qa('sbs-row').find((r) => r.dataset.field === 'Access-Control-Allow-Credentials')!;
    expect(acac.querySelector('[data-testid="missing"]')!.textContent).toBe('header missing');
    expect(acac.querySelector('[data-testid="empty-value"]')).toBeNull();
  });

  it('labels rows of a redirect chain by hop and lists the chain', () => {
    const { qa, q } = show(redirected());
    const rows = qa('sbs-row');
    expect(rows[0]!.dataset.result).toBe('fail');
    expect(rows[0]!.querySelector('.where')!.textContent).toBe('Response (hop 2)');
    expect(rows.find((r) => r.dataset.stage === 'redirect')!.querySelector('.where')!.textContent).toBe(
      'Redirect (hop 1)',
    );
    const chain = [...q('redirect-chain')!.querySelectorAll('li')].map((li) => li.textContent);
    expect(chain).toEqual([`302 ${API}/old/items`, '200 http://127.0.0.1:8001/new/items']);
    expect(q('redirect-chain')!.querySelectorAll('li.failed')).toHaveLength(1);
  });
});

describe('cause card', () => {
  it('gives the catalogue title, explanation and confidence, and what each browser reports', () => {
    const { q } = show(trailingSlash());
    expect(q('cause-title')!.textContent).toBe('The allowed origin is written differently from the page origin');
    expect(q('cause-explanation')!.textContent).toContain(`Allow "${PAGE}"`);
    expect(q('confidence')!.textContent).toBe('certain');
    expect(q('cors-error')!.textContent).toBe('AllowOriginMismatch');
    expect(q('chrome-console')!.textContent).toBe(
      // Chromium's sentence as it prints it for fetch() (verified in the engine's e2e matrix).
      `Access to fetch at '${API}/api/items?page=2' from origin '${PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '${PAGE}/' that is not equal to the supplied origin. Have the server send the header with a valid value.`,
    );
    expect(q('firefox-reason')!.textContent).toContain('CORSAllowOriginNotMatchingOrigin');
    expect(q('firefox-reason')!.textContent).toContain(`does not match ‘${PAGE}/’`);
  });

  it('uses the preflight prefix only where Chrome does', () => {
    expect(show(methodNotAllowed()).q('chrome-console')!.textContent).toContain(
      'Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.',
    );
  });

  it('shows both outcomes when the credentials mode is unknown', () => {
    const { qa, q } = show(credentialsUnknown());
    const branches = qa('branch').map((b) => [b.dataset.assumption, b.dataset.outcome]);
    expect(branches).toEqual([
      ['credentials-include', 'blocked'],
      ['credentials-omit', 'pass'],
    ]);
    expect(qa('branch')[0]!.textContent).toContain('Wildcard "*" cannot be used with credentials');
    expect(qa('branch')[0]!.textContent).toContain('WildcardOriginNotAllowed');
    expect(q('confidence')!.textContent).toBe('possible');
    expect(q('branches')!.textContent).toMatch(/extensions cannot see/);
  });

  it('shows warnings apart from the failure', () => {
    const { q, qa } = show(passing());
    expect(q('outcome')!.textContent).toBe('Allowed');
    expect(q('cause-card')!.textContent).toContain('every CORS rule passed');
    expect(q('cause-card')!.contains(q('warnings'))).toBe(false);
    expect(qa('warning').map((w) => w.dataset.code)).toEqual(['warn-missing-vary-origin']);
    expect(q('warnings')!.textContent).toContain('Vary: Origin');
  });

  it('labels not-CORS outcomes as such', () => {
    const { q } = show(notCors());
    expect(q('outcome')!.textContent).toBe('Not CORS');
    expect(q('cause-card')!.textContent).toContain('Not a CORS problem');
    expect(q('cause-title')!.textContent).toBe(
      'Not CORS: the server could not be reached (net::ERR_CONNECTION_REFUSED)',
    );
    expect(q('browser-says')).toBeNull();
  });

  it('says the rule is unidentified rather than guessing', () => {
    const e = missingAcao();
    delete e.verdict.cause;
    expect(show(e).q('cause-title')!.textContent).toBe('Blocked: No Access-Control-Allow-Origin');
    cleanup();
    delete e.verdict.symptom;
    expect(show(e).q('cause-title')!.textContent).toBe('Blocked: the rule could not be identified');
  });

  it('waits for pending requests', () => {
    expect(show(pending()).q('cause-card')!.textContent).toContain('Waiting for the response');
  });
});

describe('preflight and exchange', () => {
  it('opens the preflight when it failed and shows its status and headers', () => {
    const { q } = show(methodNotAllowed());
    const pre = q('preflight') as HTMLDetailsElement;
    expect(pre.open).toBe(true);
    expect(pre.textContent).toContain('HTTP/1.1 204 No Content');
    expect(pre.textContent).toContain('access-control-allow-methods');
    expect((q('exchange') as HTMLDetailsElement).open).toBe(false);
    expect(q('exchange')!.textContent).toContain('never sent');
  });

  it('says when the preflight was served from cache', () => {
    const { q } = show(preflightCached());
    expect(q('preflight-cached')!.textContent).toMatch(
      /Preflight served from cache: no OPTIONS request went on the wire/,
    );
  });
});

describe('copy and text', () => {
  it('copies the URL, the headers and the whole detail as text', async () => {
    const e = methodNotAllowed();
    const { container, copied, q } = show(e);
    const buttons = [...container.querySelectorAll<HTMLButtonElement>('.d-actions button')];
    fireEvent.click(buttons[0]!);
    fireEvent.click(buttons[1]!);
    fireEvent.click(q('copy-all')!);
    await waitFor(() => expect(copied).toHaveLength(3));
    expect(copied[0]).toBe(e.exchange.url);
    expect(copied[1]).toBe(headersText(e));
    expect(copied[2]).toBe(detailText(e));
    await waitFor(() => expect(q('copy-all')!.textContent).toBe('Copied'));
  });

  it('writes a text detail with the verdict, the browser names and every row', () => {
    const t = detailText(methodNotAllowed());
    expect(t).toContain(`PUT ${API}/api/items/42`);
    expect(t).toContain('Cause (certain): Method PUT is not allowed by the preflight response');
    expect(t).toContain('Chromium CorsError: MethodDisallowedByPreflightResponse (PUT)');
    expect(t).toContain('Firefox reason: CORSMethodNotFound');
    expect(t).toContain(`FAIL Preflight  Access-Control-Allow-Methods: GET, POST   (needed: "PUT" or "*" listed)`);
    expect(t).toContain('  > Access-Control-Request-Method: PUT');
    expect(t).toContain('  < access-control-allow-methods: GET, POST');
    expect(detailText(headerNotAllowed())).toContain('Access-Control-Allow-Headers: (empty)');
    expect(detailText(headerNotAllowed())).toContain('Access-Control-Allow-Credentials: (missing)');
  });
});

describe('robustness', () => {
  it('marks an imported entry', () => {
    const { q } = show(trailingSlash(), 'report.json');
    expect(q('imported-badge')!.textContent).toBe('Imported');
    expect(q('imported-badge')!.title).toContain('report.json');
  });

  it('shows a malformed entry inertly instead of crashing', () => {
    const e = trailingSlash();
    (e.verdict as unknown as { evidence: unknown }).evidence = 'not a list';
    const { container } = show(e);
    expect(container.textContent).toContain('This entry could not be shown');
    expect(container.querySelector('pre.raw')!.textContent).toContain('not a list');
  });

  it('cuts very long header values and shows them in full on request', () => {
    const e = passing();
    e.exchange.hops[0]!.responseHeaders!.push({ name: 'x-long', value: 'a'.repeat(70_000) });
    const { container } = show(e);
    const more = [...container.querySelectorAll<HTMLButtonElement>('button.more')];
    expect(more.length).toBeGreaterThan(0);
    expect(more[0]!.textContent).toContain('70,000 characters');
    fireEvent.click(more[0]!);
    expect(container.textContent).toContain('a'.repeat(70_000));
  });
});

describe('an uncertain verdict (blocked if credentialed, no failure signal)', () => {
  it('names both outcomes, amber, never "Allowed", with Firefox\'s reason on screen', () => {
    const { q, qa, container } = show(uncertainWildcard());
    expect(q('outcome')!.textContent).toBe('Blocked if credentialed');
    expect(q('outcome')!.className).toContain('b-uncertain');
    expect(q('cause-card')!.className).toContain('card-uncertain');
    expect(q('verdict-headline')!.textContent).toBe('Blocked if sent with credentials, allowed without them');
    expect(container.textContent).not.toMatch(/Allowed: every CORS rule passed/);
    expect(q('firefox-reason')!.textContent).toContain('CORSNotSupportingCredentials');
    expect(qa('branch-firefox-reason').map((e) => e.textContent)).toEqual(['CORSNotSupportingCredentials']);
    expect(q('confidence')!.textContent).toBe('possible');
  });
});
