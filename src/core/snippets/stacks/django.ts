// Django: django-cors-headers. CorsMiddleware must come first in MIDDLEWARE: above CommonMiddleware
// (its APPEND_SLASH redirect would hit the preflight) and above anything that can answer early
// (auth). It answers preflights itself, and adds headers to every response including Django's
// own 500 page, so errors carry CORS once it is installed in the right place.
import { comment, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';
import { dq } from '../common';

/** django-cors-headers' defaults (corsheaders/defaults.py), so the settings extend them. */
const DEFAULT_HEADERS = [
  'accept',
  'accept-encoding',
  'authorization',
  'content-type',
  'dnt',
  'origin',
  'user-agent',
  'x-csrftoken',
  'x-requested-with',
];
const DEFAULT_METHODS = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/**
 * A list setting: the library defaults plus extras when the server uses the defaults (or has no
 * CORS yet), else the explicit list it has today, so a diff shows the user's own setting.
 */
function listSetting(values: string[], current: string[] | null, defaults: string[], base: string): string {
  const wanted = values.filter((v) => v !== '*');
  if (current && !defaults.every((d) => current.includes(d))) return `[${wanted.map(dq).join(', ')}]`;
  const extra = wanted.filter((v) => !defaults.includes(v));
  return extra.length ? `(*${base}, ${extra.map(dq).join(', ')})` : base;
}

function settings(c: CorsConfig, input: SnippetInput): string {
  const cur = input.current;
  const lines = [`CORS_ALLOWED_ORIGINS = [${c.origins.map(dq).join(', ')}]`];
  lines.push(
    `CORS_ALLOW_METHODS = ${listSetting(c.methods, cur && cur.methods.length ? cur.methods : null, DEFAULT_METHODS, 'default_methods')}`,
  );
  lines.push(
    `CORS_ALLOW_HEADERS = ${listSetting(c.headers, cur && cur.headers.length ? cur.headers : null, DEFAULT_HEADERS, 'default_headers')}`,
  );
  if (c.credentials) lines.push('CORS_ALLOW_CREDENTIALS = True');
  if (c.exposeHeaders.length) lines.push(`CORS_EXPOSE_HEADERS = [${c.exposeHeaders.map(dq).join(', ')}]`);
  lines.push(`CORS_PREFLIGHT_MAX_AGE = ${c.maxAge}`);
  return lines.join('\n');
}

export const django: StackGenerator = {
  id: 'django',
  label: 'Django',
  language: 'python',
  file: 'settings.py',
  docs: [
    'https://github.com/adamchainz/django-cors-headers#setup',
    'https://github.com/adamchainz/django-cors-headers#configuration',
  ],
  config(c, input) {
    return settings(c, input);
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in CORS_ALLOWED_ORIGINS.');
    if (c.credentials) why.push('Never CORS_ALLOW_ALL_ORIGINS = True with credentials: it echoes any origin.');
    const code = [
      comment(why, '#'),
      'from corsheaders.defaults import default_headers, default_methods',
      '',
      'if "corsheaders" not in INSTALLED_APPS:',
      '    INSTALLED_APPS = [*INSTALLED_APPS, "corsheaders"]',
      '# First in MIDDLEWARE: before CommonMiddleware (APPEND_SLASH redirects break preflights) and',
      '# before authentication, so preflights and error responses get CORS headers.',
      'MIDDLEWARE = [',
      '    "corsheaders.middleware.CorsMiddleware",',
      '    *(m for m in MIDDLEWARE if m != "corsheaders.middleware.CorsMiddleware"),',
      ']',
      settings(c, input),
    ].join('\n');
    const extra: string[] = [
      'Install django-cors-headers (pip install django-cors-headers, or the python3-django-cors-headers package).',
    ];
    return snippet(
      django,
      input,
      [
        {
          id: 'main',
          placement:
            'At the end of settings.py (after INSTALLED_APPS and MIDDLEWARE are defined); replace any existing CORS_* settings.',
          code: code + '\n',
        },
      ],
      extra,
    );
  },
};
