// Fix snippets: the shared input every stack generator reads, and what a generator returns.
// Pure data; built from a LogEntry by ./input.ts, rendered by the panel as inert text.

import type { CauseCode } from '../causes';
import type { Confidence } from '../verdict';

/** Every stack CORS Lens writes fixes for, in the default tab order (most common first). */
export const STACK_IDS = [
  'fastapi',
  'express',
  'django',
  'flask',
  'nginx',
  'nextjs',
  'nestjs',
  'fastify',
  'hono',
  'koa',
  'apache',
  'caddy',
  'spring',
  'aspnet',
  'go',
  'rails',
] as const;
export type StackId = (typeof STACK_IDS)[number];

export type SnippetLanguage =
  'python' | 'javascript' | 'typescript' | 'nginx' | 'apache' | 'caddyfile' | 'java' | 'csharp' | 'go' | 'ruby';

/** A CORS configuration in stack-neutral terms: what the server allows. */
export interface CorsConfig {
  /** Exact serialized origins (scheme://host[:port]); `*` only in an observed config. */
  origins: string[];
  /** The server also allows origins this failure does not reveal: keep them. */
  otherOrigins: boolean;
  /** Methods, exact case (fetch() upper-cases only the six standard ones). `*` only when observed. */
  methods: string[];
  /** Request header names, lowercase. `*` only when observed (and never with credentials). */
  headers: string[];
  credentials: boolean;
  /** Response headers the page may read. */
  exposeHeaders: string[];
  /** Seconds a preflight answer may be cached. */
  maxAge: number;
}

/** What the failing responses reveal about the server's current CORS setup. */
export interface ObservedCors {
  /** Which response these headers come from. */
  from: 'preflight' | 'response';
  allowOrigin: string | null;
  /** Number of Access-Control-Allow-Origin header lines (2+ = duplicate). */
  allowOriginLines: number;
  allowCredentials: string | null;
  allowMethods: string[] | null;
  allowHeaders: string[] | null;
  exposeHeaders: string[] | null;
  maxAge: number | null;
  varyOrigin: boolean;
  /** Any Access-Control-* header at all (CORS is configured somewhere). */
  anyCors: boolean;
}

/** Structural fixes beyond the allow-lists, each rendered by every stack in its own idiom. */
export type FixStep =
  /** Error responses (5xx) must carry CORS headers too (so the page sees the real error). */
  | 'errors-carry-cors'
  /** The 5xx is a crash: the real fix is in the server's code. */
  | 'fix-crash'
  /** Answer OPTIONS preflights before any authentication runs. */
  | 'preflight-before-auth'
  /** Nothing answers OPTIONS for this URL: route preflights to the CORS handler. */
  | 'answer-preflight'
  /** The preflight was redirected: call the final URL or stop redirecting OPTIONS. */
  | 'stop-redirect'
  /** A redirect hop lacks CORS headers: call the final URL or add CORS to the redirect. */
  | 'redirect-cors'
  /** Access-Control-Allow-Origin is added twice (proxy and app): only one layer may add it. */
  | 'single-allow-origin'
  /** `*` was sent on a credentialed request: echo the exact origin instead. */
  | 'no-wildcard-credentials'
  /** Local Network Access: the server opts in on the preflight. */
  | 'private-network';

export interface CauseInfo {
  code: CauseCode;
  /** 'engine' when the stored verdict named it; 'derived' when the engine, run again here, named it. */
  source: 'engine' | 'derived';
  confidence: Confidence;
}

export interface SnippetInput {
  /** The exact page origin the server must allow, e.g. `http://localhost:3000`. */
  origin: string;
  /** False when the page origin could not be read (a placeholder is used instead). */
  originKnown: boolean;
  /** The server's origin (what the user is fixing). */
  target: string;
  url: string;
  /** Path of the failing URL (for route-scoped configs). */
  path: string;
  /** The actual request's method, exact case. */
  method: string;
  /** A preflight guards this request (needed, or seen on the wire). */
  preflight: boolean;
  /** Methods the preflight asked for (Access-Control-Request-Method), or the actual non-safelisted method. */
  requestMethods: string[];
  /** Request headers that need permission (lowercase), from Access-Control-Request-Headers or the request. */
  requestHeaders: string[];
  /** Whether the request carries credentials: 'maybe' when webRequest cannot tell and it matters. */
  credentials: 'yes' | 'no' | 'maybe';
  cause: CauseInfo | null;
  /** Which response failed. */
  stage: 'preflight' | 'response' | 'redirect' | null;
  /** Status of the failing response. */
  status: number | null;
  /** Redirect target (preflight or hop), absolute. */
  location: string | null;
  observed: ObservedCors | null;
  /** The current config as far as the responses show it (for "copy as diff"); null when unknown. */
  current: CorsConfig | null;
  /** The config that fixes this failure: the current one plus the minimal additions. */
  config: CorsConfig;
  /** What `config` adds to `current` (or to nothing). */
  added: { origins: string[]; methods: string[]; headers: string[]; credentials: boolean; exposeHeaders: string[] };
  steps: FixStep[];
  /** Warning cause codes worth a comment (reflect-any-origin with credentials, wildcard Authorization…). */
  warnings: string[];
}

export interface SnippetPart {
  /** Region id: 'main' for the CORS setup itself; others e.g. 'http' (nginx map), 'settings'. */
  id: string;
  /** Where to paste it, one sentence. */
  placement: string;
  code: string;
}

export interface Snippet {
  stack: StackId;
  label: string;
  language: SnippetLanguage;
  /** One-line summary of what the snippet changes. */
  title: string;
  parts: SnippetPart[];
  /** Steps that are not config (fix the crash, call the final URL…), plain text. */
  notes: string[];
  /** Unified diff of the minimal change to the observed config, when it is known. */
  diff: string | null;
  /** Official documentation the snippet follows. */
  docs: string[];
}

export interface StackGenerator {
  id: StackId;
  label: string;
  language: SnippetLanguage;
  /** File the CORS config usually lives in (diff header). */
  file: string;
  /** `*` in the origin list means "any origin" in this stack's config, so a diff from it is faithful. */
  wildcardList?: boolean;
  docs: string[];
  /** The plain allow-list config as this stack writes it (what "copy as diff" compares). */
  config(c: CorsConfig, input: SnippetInput): string;
  generate(input: SnippetInput): Snippet;
}
