// ASP.NET Core: a named CORS policy (AddCors) and app.UseCors(...) placed after UseRouting and
// before UseAuthentication/UseAuthorization, so preflights are answered before auth. The CORS
// middleware adds headers when the response starts; an exception handler that re-executes the
// pipeline (UseExceptionHandler) goes through it again, so keep UseExceptionHandler first.
import { comment, dq, snippet, whyLines } from '../common';
import type { CorsConfig, StackGenerator } from '../types';

function args(xs: string[]): string {
  return xs.map(dq).join(', ');
}

function policy(c: CorsConfig): string[] {
  const lines = [
    'builder.Services.AddCors(options =>',
    '{',
    '    options.AddPolicy("CorsLens", policy => policy',
    `        .WithOrigins(${args(c.origins)})`,
    `        .WithMethods(${args(c.methods)})`,
  ];
  if (c.headers.length) lines.push(`        .WithHeaders(${args(c.headers)})`);
  if (c.exposeHeaders.length) lines.push(`        .WithExposedHeaders(${args(c.exposeHeaders)})`);
  if (c.credentials) lines.push('        .AllowCredentials()');
  lines.push(`        .SetPreflightMaxAge(TimeSpan.FromSeconds(${c.maxAge})));`, '});');
  return lines;
}

export const aspnet: StackGenerator = {
  id: 'aspnet',
  label: 'ASP.NET Core',
  language: 'csharp',
  file: 'Program.cs',
  docs: [
    'https://learn.microsoft.com/en-us/aspnet/core/security/cors',
    'https://learn.microsoft.com/en-us/aspnet/core/fundamentals/middleware/#middleware-order',
  ],
  config(c) {
    return policy(c).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in WithOrigins(...).');
    if (c.credentials)
      why.push('Never AllowAnyOrigin() with AllowCredentials() (ASP.NET Core refuses it); use exact origins.');
    const services = [comment(why, '//'), ...policy(c)].join('\n');
    const pipeline = [
      '// Order matters: UseExceptionHandler first (its re-executed error response then passes',
      '// through CORS), UseCors after UseRouting and before authentication (preflights carry no credentials).',
      'app.UseExceptionHandler("/error");',
      'app.UseRouting();',
      'app.UseCors("CorsLens");',
      'app.UseAuthentication();',
      'app.UseAuthorization();',
    ].join('\n');
    return snippet(aspnet, input, [
      { id: 'main', placement: 'Program.cs, before `var app = builder.Build();`.', code: services + '\n' },
      {
        id: 'pipeline',
        placement:
          'Program.cs, after `var app = builder.Build();`: put UseCors in this position among the middleware you already have.',
        code: pipeline + '\n',
      },
    ]);
  },
};
