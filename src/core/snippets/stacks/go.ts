// Go net/http: a handler wrapper. Wrap the outermost handler (outside auth and recovery
// middleware): it answers preflights itself and sets headers before the inner handler writes,
// so error responses written by inner handlers (http.Error, 500s from recovery) keep them.
import { comment, dq, snippet, whyLines } from '../common';
import type { CorsConfig, StackGenerator } from '../types';

function config(c: CorsConfig): string[] {
  const lines = ['var corsAllowedOrigins = map[string]bool{', ...c.origins.map((o) => `\t${dq(o)}: true,`), '}', ''];
  const consts: Array<[string, string]> = [
    ['corsAllowMethods', dq(c.methods.join(', '))],
    ['corsAllowHeaders', dq(c.headers.join(', '))],
    ['corsExposeHeaders', dq(c.exposeHeaders.join(', '))],
    ['corsAllowCredentials', String(c.credentials)],
    ['corsMaxAge', dq(String(c.maxAge))],
  ];
  const w = Math.max(...consts.map(([n]) => n.length));
  lines.push('const (');
  for (const [n, v] of consts) lines.push(`\t${n.padEnd(w)} = ${v}`);
  lines.push(')');
  return lines;
}

export const go: StackGenerator = {
  id: 'go',
  label: 'Go (net/http)',
  language: 'go',
  file: 'cors.go',
  docs: [
    'https://pkg.go.dev/net/http#Handler',
    'https://pkg.go.dev/net/http#Header.Add',
    'https://fetch.spec.whatwg.org/#http-cors-protocol',
  ],
  config(c) {
    return config(c).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in corsAllowedOrigins.');
    why.push('Wrap your outermost handler: http.ListenAndServe(addr, withCORS(mux)).');
    const code = [
      comment(why, '//'),
      'package main',
      '',
      'import "net/http"',
      '',
      ...config(c),
      '',
      'func withCORS(next http.Handler) http.Handler {',
      '\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {',
      '\t\torigin := r.Header.Get("Origin")',
      '\t\tallowed := corsAllowedOrigins[origin]',
      '\t\tw.Header().Add("Vary", "Origin")',
      '\t\tif allowed {',
      '\t\t\tw.Header().Set("Access-Control-Allow-Origin", origin)',
      '\t\t\tif corsAllowCredentials {',
      '\t\t\t\tw.Header().Set("Access-Control-Allow-Credentials", "true")',
      '\t\t\t}',
      '\t\t\tif corsExposeHeaders != "" {',
      '\t\t\t\tw.Header().Set("Access-Control-Expose-Headers", corsExposeHeaders)',
      '\t\t\t}',
      '\t\t}',
      '\t\t// Preflight: answer here, before auth (browsers send no credentials on OPTIONS).',
      '\t\tif r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {',
      '\t\t\tif allowed {',
      '\t\t\t\tw.Header().Set("Access-Control-Allow-Methods", corsAllowMethods)',
      '\t\t\t\tif corsAllowHeaders != "" {',
      '\t\t\t\t\tw.Header().Set("Access-Control-Allow-Headers", corsAllowHeaders)',
      '\t\t\t\t}',
      '\t\t\t\tw.Header().Set("Access-Control-Max-Age", corsMaxAge)',
      '\t\t\t}',
      '\t\t\tw.WriteHeader(http.StatusNoContent)',
      '\t\t\treturn',
      '\t\t}',
      '\t\tnext.ServeHTTP(w, r)',
      '\t})',
      '}',
    ].join('\n');
    const extra = input.steps.includes('errors-carry-cors')
      ? [
          'A panic that escapes every handler makes net/http drop the connection: recover inside withCORS (wrap your recovery middleware with it) so the 500 carries these headers, and fix the panic.',
        ]
      : [];
    return snippet(
      go,
      input,
      [
        {
          id: 'main',
          placement:
            'A new file cors.go in your main package (change `package main` if needed); then wrap your handler with withCORS(...).',
          code: code + '\n',
        },
      ],
      extra,
    );
  },
};
