import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originOf } from '../../src/core/origin';

/** The definition: parse the whole URL. */
function reference(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return u.origin;
  if (u.protocol.endsWith('-extension:')) return `${u.protocol}//${u.host}`;
  return null;
}

describe('originOf (looked up by the scheme://authority prefix)', () => {
  it('agrees with parsing the whole URL', () => {
    const samples = [
      'http://127.0.0.1:8000/items/1?q=2',
      'HTTP://EXAMPLE.com:80/x',
      'https://a.test:443?x#y',
      'http://a.test\\path',
      'http://user:pw@a.test:8080/p',
      'http://user:pa/ss@host/',
      'http://[::1]:3000/',
      'http://0x7f.1/',
      ' http://a.test/ ',
      'http://a\tb.test/',
      'http:a.test/x',
      'http:/\\a.test/x',
      'blob:http://a.test/uuid',
      'data:,://x',
      'javascript:alert("://")',
      'chrome-extension://abcdefgh/src/panel.html',
      'moz-extension://1234-5678/x',
      'ws://a.test:80/s',
      'file:///etc/passwd',
      'http://',
      'http://a.test#frag/x',
      'https://xn--nxasmq6b.test/',
      'https://ünïcode.test/',
    ];
    for (const u of samples) expect(originOf(u), u).toBe(reference(u));
  });

  it('agrees with parsing the whole URL on generated URLs', () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9.:@\[\]\\/?#%\t -]{0,12}$/);
    const scheme = fc.constantFrom('http', 'https', 'ws', 'wss', 'ftp', 'blob:http', 'chrome-extension', 'HTTP', 'x');
    fc.assert(
      fc.property(scheme, fc.constantFrom('://', ':/', ':', ':///'), part, part, (sc, sep, a, b) => {
        const url = `${sc}${sep}${a}${b}`;
        expect(originOf(url)).toBe(reference(url));
      }),
      { numRuns: 3000 },
    );
  });
});
