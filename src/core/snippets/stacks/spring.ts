// Spring Boot (Spring MVC): a WebMvcConfigurer CORS mapping; with Spring Security, CORS must be
// enabled in the filter chain too (http.cors(...)), or the security filters reject the preflight
// (401/403) before MVC's CORS handling sees it.
import { comment, dq, snippet, whyLines } from '../common';
import type { CorsConfig, SnippetInput, StackGenerator } from '../types';

function args(xs: string[]): string {
  return xs.map(dq).join(', ');
}

function mapping(c: CorsConfig, input: SnippetInput): string[] {
  const lines = [
    `registry.addMapping(${dq(pathPattern(input))})`,
    `    .allowedOrigins(${args(c.origins)})`,
    `    .allowedMethods(${args(c.methods)})`,
  ];
  if (c.headers.length) lines.push(`    .allowedHeaders(${args(c.headers)})`);
  if (c.exposeHeaders.length) lines.push(`    .exposedHeaders(${args(c.exposeHeaders)})`);
  if (c.credentials) lines.push('    .allowCredentials(true)');
  lines.push(`    .maxAge(${c.maxAge});`);
  return lines;
}

function pathPattern(input: SnippetInput): string {
  const first = input.path.split('/').filter(Boolean)[0];
  return first ? `/${first}/**` : '/**';
}

function source(c: CorsConfig, input: SnippetInput): string[] {
  const lines = [
    'CorsConfiguration cors = new CorsConfiguration();',
    `cors.setAllowedOrigins(List.of(${args(c.origins)}));`,
    `cors.setAllowedMethods(List.of(${args(c.methods)}));`,
  ];
  if (c.headers.length) lines.push(`cors.setAllowedHeaders(List.of(${args(c.headers)}));`);
  if (c.exposeHeaders.length) lines.push(`cors.setExposedHeaders(List.of(${args(c.exposeHeaders)}));`);
  if (c.credentials) lines.push('cors.setAllowCredentials(true);');
  lines.push(
    `cors.setMaxAge(${c.maxAge}L);`,
    'UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();',
    `source.registerCorsConfiguration(${dq(pathPattern(input))}, cors);`,
    'return source;',
  );
  return lines;
}

export const spring: StackGenerator = {
  id: 'spring',
  label: 'Spring Boot',
  language: 'java',
  file: 'CorsConfig.java',
  wildcardList: true,
  docs: [
    'https://docs.spring.io/spring-framework/reference/web/webmvc-cors.html',
    'https://docs.spring.io/spring-security/reference/servlet/integrations/cors.html',
  ],
  config(c, input) {
    return mapping(c, input).join('\n');
  },
  generate(input) {
    const c = input.config;
    const why = whyLines(input);
    if (c.otherOrigins) why.push('Keep the origins you already allow in the list.');
    if (c.credentials)
      why.push('Never allowedOrigins("*") with allowCredentials(true) (Spring rejects it); use exact origins.');
    const security = input.steps.includes('preflight-before-auth') || input.status === 401 || input.status === 403;
    let code: string;
    if (security) {
      why.push('CORS must run before Spring Security (preflights carry no cookies): http.cors(...) uses this bean.');
      code = [
        comment(why, '//'),
        'import java.util.List;',
        'import org.springframework.context.annotation.Bean;',
        'import org.springframework.context.annotation.Configuration;',
        'import org.springframework.security.config.Customizer;',
        'import org.springframework.security.config.annotation.web.builders.HttpSecurity;',
        'import org.springframework.security.web.SecurityFilterChain;',
        'import org.springframework.web.cors.CorsConfiguration;',
        'import org.springframework.web.cors.UrlBasedCorsConfigurationSource;',
        '',
        '@Configuration',
        'public class CorsConfig {',
        '    @Bean',
        '    UrlBasedCorsConfigurationSource corsConfigurationSource() {',
        ...source(c, input).map((l) => '        ' + l),
        '    }',
        '',
        '    // Merge into your existing SecurityFilterChain: the .cors(...) line is what matters.',
        '    @Bean',
        '    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {',
        '        http.cors(Customizer.withDefaults());',
        '        // ... your existing authorizeHttpRequests(...) etc.',
        '        return http.build();',
        '    }',
        '}',
      ].join('\n');
    } else {
      code = [
        comment(why, '//'),
        'import org.springframework.context.annotation.Configuration;',
        'import org.springframework.web.servlet.config.annotation.CorsRegistry;',
        'import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;',
        '',
        '@Configuration',
        'public class CorsConfig implements WebMvcConfigurer {',
        '    @Override',
        '    public void addCorsMappings(CorsRegistry registry) {',
        ...mapping(c, input).map((l) => '        ' + l),
        '    }',
        '}',
      ].join('\n');
    }
    const extra = security
      ? []
      : [
          'If Spring Security is on the classpath, also call http.cors(Customizer.withDefaults()) in your SecurityFilterChain, or it rejects preflights before this mapping applies.',
        ];
    return snippet(
      spring,
      input,
      [
        {
          id: 'main',
          placement:
            'A new class next to your @SpringBootApplication class (e.g. CorsConfig.java); remove @CrossOrigin annotations that contradict it.',
          code: code + '\n',
        },
      ],
      extra,
    );
  },
};
