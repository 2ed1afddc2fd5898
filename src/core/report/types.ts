// Inputs shared by every export format.
import type { LogEntry, OriginStats } from '../log';

export type ExportFormat = 'markdown' | 'json' | 'har' | 'curl';
export type ExportScope = 'selected' | 'blocked' | 'origins';

/** One fix snippet for one server stack (produced by src/core/snippets/, injected here). */
export interface Snippet {
  /** Stable stack id, e.g. `fastapi`, `express`, `nginx`. */
  stack: string;
  /** Human label, e.g. "FastAPI (CORSMiddleware)". */
  label: string;
  code: string;
}

/** The snippet generator, injected so the report core does not depend on it. Best match first. */
export type SnippetSource = (entry: LogEntry) => Snippet[];

/** Who produced the report. The panel reads these from the runtime; tests pass fixed values. */
export interface ReportEnv {
  extensionVersion: string;
  browser: 'chrome' | 'firefox' | 'unknown';
  browserVersion: string;
  userAgent?: string;
}

export interface ExportInput {
  scope: ExportScope;
  /** The entries to report on (the caller picks: the selected one, the blocked ones, or the whole log). */
  entries: LogEntry[];
  /** The per-origin counts (scope `origins`). */
  origins?: OriginStats[];
}

export interface ExportOptions {
  /** Keep cookies, Authorization, tokens… Off by default. */
  includeSecrets?: boolean;
  snippets?: SnippetSource;
  env?: ReportEnv;
  /** The export time (default: now). */
  now?: Date;
  /**
   * Made by the cors-lens command line: there is no browser, so an uncertain verdict means the
   * credentials mode was not given (not that the browser gave no failure signal).
   */
  cli?: boolean;
}

export const UNKNOWN_ENV: ReportEnv = { extensionVersion: '0.0.0', browser: 'unknown', browserVersion: '' };
