// Rails: rack-cors in config/initializers/cors.rb. insert_before 0 puts it first in the Rack
// stack: preflights are answered before Warden/Devise auth, and exceptions rendered by
// ActionDispatch::ShowExceptions (further in) still get the headers.
import { comment, dq, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';

function methodSym(m: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(m.toLowerCase()) ? `:${m.toLowerCase()}` : dq(m);
}

function resourcePath(input: SnippetInput): string {
  const first = input.path.split('/').filter(Boolean)[0];
  return first ? `/${first}/*` : '*';
}

function allow(c: CorsConfig, input: SnippetInput): string[] {
  const opts = [`methods: [${c.methods.map(methodSym).join(', ')}]`];
  opts.push(`headers: [${c.headers.map(dq).join(', ')}]`);
  if (c.exposeHeaders.length) opts.push(`expose: [${c.exposeHeaders.map(dq).join(', ')}]`);
  if (c.credentials) opts.push('credentials: true');
  opts.push(`max_age: ${c.maxAge}`);
  return [
    'Rails.application.config.middleware.insert_before 0, Rack::Cors do',
    '  allow do',
    `    origins ${c.origins.map(dq).join(', ')}`,
    `    resource ${dq(resourcePath(input))},`,
    ...opts.map((o, i) => `      ${o}${i < opts.length - 1 ? ',' : ''}`),
    '  end',
    'end',
  ];
}

export const rails: StackGenerator = {
  id: 'rails',
  label: 'Rails',
  language: 'ruby',
  file: 'config/initializers/cors.rb',
  wildcardList: true,
  docs: [
    'https://github.com/cyu/rack-cors#rails-configuration',
    'https://guides.rubyonrails.org/rails_on_rack.html#configuring-middleware-stack',
  ],
  config(c, input) {
    return allow(c, input).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in `origins`.');
    if (c.credentials) why.push('Never origins "*" with credentials: true (rack-cors refuses it); list exact origins.');
    const code = [comment(why, '#'), ...allow(c, input)].join('\n');
    return snippet(rails, input, [
      {
        id: 'main',
        placement:
          'config/initializers/cors.rb (add gem "rack-cors" to the Gemfile); replace its existing allow block for this origin.',
        code: code + '\n',
      },
    ]);
  },
};
