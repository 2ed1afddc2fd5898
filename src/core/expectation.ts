// What a CORS rule expected, as typed values: the panel and other readers compare these with what
// the server sent, never the row's English `needed` text (that is for people only).

export type Expectation =
  /** Access-Control-Allow-Origin: exactly `origin`, or also "*" when `wildcard` (no credentials). */
  | { kind: 'origin'; origin: string; wildcard: boolean }
  /** A header whose value must be exactly this (Access-Control-Allow-Credentials: "true"). */
  | { kind: 'exact'; value: string }
  /**
   * An allow-list (Access-Control-Allow-Methods/-Headers) that must contain every item; "*" counts
   * when `wildcard` (no credentials). Methods compare case-sensitively, header names not.
   */
  | { kind: 'listed'; items: string[]; wildcard: boolean; caseSensitive: boolean }
  /** Nothing to list: the item (a method) is CORS-safelisted. */
  | { kind: 'safelisted'; item: string }
  /** A comma-separated list of tokens (the syntax of Allow-Methods/-Headers). */
  | { kind: 'token-list' }
  /** A status in 200–299 (an ok status). */
  | { kind: 'ok-status' }
  /** Not a redirect (browsers never follow a preflight redirect). */
  | { kind: 'no-redirect' }
  /** A redirect target without user name or password. */
  | { kind: 'url-without-credentials' };

/** The items of a `listed` expectation, joined as a header value would list them. */
export function expectedItems(e: Expectation | undefined): string | null {
  return e?.kind === 'listed' ? e.items.join(', ') : null;
}
