// Flask: flask-cors. CORS(app, ...) registers an after_request hook, so error responses (Flask's
// own 500 handler included) get CORS headers too. Preflights go through before_request hooks
// like any request: an auth hook that rejects OPTIONS breaks them, so the snippet answers
// preflights in a before_request hook registered first.
import { comment, dq, snippet, whyLines } from '../common';
import type { CorsConfig, StackGenerator } from '../types';
import { pyBool, pyList } from './python';

function corsCall(c: CorsConfig): string {
  const args = [`origins=${pyList(c.origins)},`, `methods=${pyList(c.methods)},`];
  if (c.headers.length) args.push(`allow_headers=${pyList(c.headers)},`);
  if (c.exposeHeaders.length) args.push(`expose_headers=${pyList(c.exposeHeaders)},`);
  if (c.credentials) args.push(`supports_credentials=${pyBool(true)},`);
  args.push(`max_age=${c.maxAge},`);
  return ['CORS(', '    app,', ...args.map((a) => '    ' + a), ')'].join('\n');
}

export const flask: StackGenerator = {
  id: 'flask',
  label: 'Flask',
  language: 'python',
  file: 'app.py',
  wildcardList: true,
  docs: [
    'https://flask-cors.readthedocs.io/en/latest/api.html',
    'https://flask-cors.readthedocs.io/en/latest/configuration.html',
  ],
  config(c) {
    return corsCall(c);
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in origins=[...].');
    if (c.credentials) why.push('Never origins="*" with supports_credentials=True: flask-cors then echoes any origin.');
    const lines = [comment(why, '#'), 'from flask_cors import CORS', '', corsCall(c)];
    if (input.steps.includes('preflight-before-auth')) {
      lines.push(
        '',
        '',
        '# Browsers send preflights without cookies or Authorization: answer them before any auth hook.',
        '# Keep this above your own @app.before_request functions (hooks run in registration order).',
        '@app.before_request',
        'def cors_preflight():',
        '    from flask import request',
        `    if request.method == ${dq('OPTIONS')} and ${dq('Access-Control-Request-Method')} in request.headers:`,
        '        return app.make_default_options_response()',
        '    return None',
      );
    }
    return snippet(flask, input, [
      {
        id: 'main',
        placement:
          'Right after `app = Flask(__name__)`, before your routes and before_request hooks; replace any existing CORS(app, ...) call.',
        code: lines.join('\n') + '\n',
      },
    ]);
  },
};
