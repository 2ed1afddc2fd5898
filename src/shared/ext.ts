// One typed handle on the extension API for both browsers. Firefox's `browser` and Chrome's MV3
// `chrome` both return promises for the calls we make, and share the shape described by
// @types/chrome for the APIs CORS Lens uses (webRequest, runtime ports, storage, devtools, tabs,
// windows). A thin alias instead of webextension-polyfill keeps the webRequest hot path free of
// wrapper closures.
export const ext: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? globalThis.chrome;

declare global {
  /** 'chrome' or 'firefox': set per build by vite.config.ts. */
  const __BROWSER__: 'chrome' | 'firefox';
}
