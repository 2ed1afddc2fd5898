// The `cors-lens probe …` line offered by the panel and the Markdown export: exact output for
// typical entries, and hostile values that stay inert when the line is pasted into a real shell.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { probeCommand, UNSEEN_VALUE } from '../../../src/core/report/probe-command';
import { allowed, hostile, methodNotAllowed, missingAcao, withSecrets } from './fixtures';

describe('probeCommand', () => {
  it('rebuilds a failed preflight: method, the header names it asked about, the proven credentials mode, no --send for PUT', () => {
    expect(probeCommand(methodNotAllowed())).toBe(
      `cors-lens probe http://127.0.0.1:8000/items/42 --origin http://localhost:3000 --method PUT --header 'content-type: ${UNSEEN_VALUE}' --credentials omit`,
    );
  });

  it('adds --send only for a safe method, and leaves credentials open when the verdict did not settle them', () => {
    expect(probeCommand(missingAcao())).toBe(
      `cors-lens probe 'http://127.0.0.1:8000/users?page=2' --origin http://localhost:3000 --send`,
    );
    expect(probeCommand(allowed())).toBe(
      'cors-lens probe http://127.0.0.1:8000/ok --origin http://localhost:3000 --credentials omit --send',
    );
    expect(probeCommand(withSecrets())).not.toContain('--send');
    expect(probeCommand(withSecrets())).toContain('--credentials include');
  });

  it('passes the CORS-unsafe headers and Content-Type as sent, and nothing the browser added', () => {
    const line = probeCommand(withSecrets())!;
    expect(line).toContain(`--header 'Content-Type: application/json'`);
    expect(line).toContain(`--header 'X-Api-Key: `);
    expect(line).not.toMatch(/User-Agent|Sec-Fetch|Accept-Language|Cookie:/i);
  });

  it('a credentialed request that carried cookies: --cookie with their names, never their values', () => {
    const line = probeCommand(withSecrets())!;
    expect(line).toContain(
      `--credentials include --cookie 'session=${UNSEEN_VALUE}; csrftoken=${UNSEEN_VALUE}; theme=${UNSEEN_VALUE}'`,
    );
    expect(line).not.toContain('dark');
    expect(probeCommand(allowed())).not.toContain('--cookie');
  });

  it('names the detected stack', () => {
    const e = missingAcao();
    e.exchange.hops[0]!.responseHeaders = [{ name: 'server', value: 'uvicorn' }];
    expect(probeCommand(e)).toMatch(/ --stack fastapi$/);
  });

  it('returns null when the page origin is unknown', () => {
    const e = missingAcao();
    delete e.exchange.pageOrigin;
    e.exchange.hops[0]!.requestHeaders = [];
    expect(probeCommand(e)).toBeNull();
  });

  it('keeps hostile values inert in a real shell: every argument arrives intact and nothing runs', () => {
    const line = probeCommand(hostile())!;
    const marker = '/tmp/cors-lens-pwned';
    const script = `cors-lens() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${line}`;
    const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
    const args = out.split('\0').slice(0, -1);
    expect(existsSync(marker)).toBe(false);
    expect(args.slice(0, 2)).toEqual(['probe', 'http://127.0.0.1:8000/x?q=a%27b&r=$(id)']);
    expect(args).toContain(`X-Weird: '; touch ${marker}; echo '$(id)\`id\`"`);
    expect(args).toContain('--origin');
  });
});
