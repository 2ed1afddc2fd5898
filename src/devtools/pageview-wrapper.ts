// The page view's injected script: wraps the inspected page's fetch() and XMLHttpRequest to note,
// per cross-origin request, the credentials mode the page asked for and whether it got a response
// or a network error (reports: src/core/pageview.ts). It is the source of
// `devtools.inspectedWindow.reload({ injectedScript })`, so it runs in the page's own JavaScript
// world in every frame of that one page load, before the page's scripts.
//
// It must not change what the page sees: every call goes to the original with the page's own
// arguments, results and errors come back unchanged (a rejected fetch rejects with the same
// error, an unhandled one is still reported as unhandled), nothing is added to `window` but one
// non-enumerable Symbol-keyed function, and nothing leaves the page: the DevTools page reads the
// buffer by evaluating PAGE_VIEW_TAKE (bounded: at most MAX reports wait, the oldest go first).
//
// `pageViewWrapper` is serialized with Function.prototype.toString, so it must be self-contained:
// no imports, no references to anything outside its body.

export const PAGE_VIEW_KEY = 'cors-lens.pageview';

/** The expression the DevTools page evaluates: a JSON string of the waiting reports, or null when the wrapper is absent. */
export const PAGE_VIEW_TAKE = `(function(){try{var f=window[Symbol.for(${JSON.stringify(PAGE_VIEW_KEY)})];return typeof f==="function"?f():null}catch(e){return null}})()`;

export function pageViewWrapper(key: string): void {
  const w = window as unknown as Record<string | symbol, unknown> & Window & typeof globalThis;
  const slot = Symbol.for(key);
  if (Object.prototype.hasOwnProperty.call(w, slot)) return; // once per page
  const MAX = 500;
  // Captured now, before the page's scripts run: later changes by the page do not reach us.
  const now = Date.now;
  const stringify = JSON.stringify;
  const URLCtor = URL;
  const RequestCtor = typeof Request === 'function' ? Request : null;
  const ErrorCtor = Error;
  const getOwn = Object.getOwnPropertyDescriptor;
  const addListener = EventTarget.prototype.addEventListener;
  const here = location.origin;
  const buf: unknown[] = [];

  type Info = {
    api: 'fetch' | 'xhr';
    url: string;
    method: string;
    credentials: string;
    start: number;
    sync: boolean;
    site?: string;
  };

  function callSite(): string | undefined {
    try {
      const stack = String(new ErrorCtor().stack ?? '').split('\n');
      // Our own frames have no http(s) URL (the injected script has none): the first that has one is the caller.
      for (const line of stack) {
        const m = /(https?:\/\/[^\s()]+:\d+:\d+)/.exec(line);
        if (m) return m[1]!.slice(0, 500);
      }
    } catch {}
    return undefined;
  }

  /** An absolute cross-origin http(s) URL, or null (same-origin and other schemes are not CORS). */
  function crossOrigin(raw: unknown): string | null {
    let s: string;
    if (typeof raw === 'string') s = raw;
    else if (raw instanceof URLCtor) s = raw.href;
    else return null; // an object with its own toString: not evaluated a second time by us
    try {
      const u = new URLCtor(s, document.baseURI);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin === here) return null;
      return u.href;
    } catch {
      return null;
    }
  }

  function push(info: Info, outcome: 'response' | 'network-error' | 'aborted', status: number): void {
    if (buf.length >= MAX) buf.splice(0, buf.length - MAX + 1);
    buf[buf.length] = {
      api: info.api,
      url: info.url,
      method: info.method,
      credentials: info.credentials,
      outcome,
      status,
      start: info.start,
      end: now(),
      sync: info.sync,
      site: info.site,
    };
  }

  /** One field of fetch's init, read without running page code (a getter makes it unknown). */
  function field(init: unknown, name: string): { ok: boolean; value?: unknown } {
    if (init === undefined || init === null) return { ok: true };
    if (typeof init !== 'object') return { ok: true };
    const d = getOwn(init, name);
    if (!d) return name in init ? { ok: false } : { ok: true };
    if (!('value' in d)) return { ok: false };
    return { ok: true, value: d.value };
  }

  function describeFetch(input: unknown, init: unknown): Info | null {
    let url: string | null;
    let method = 'GET';
    let credentials = 'same-origin';
    let mode = 'cors';
    if (RequestCtor && input instanceof RequestCtor) {
      url = crossOrigin(input.url);
      method = input.method;
      credentials = input.credentials;
      mode = input.mode;
    } else {
      url = crossOrigin(input);
    }
    if (!url) return null;
    const m = field(init, 'method');
    const c = field(init, 'credentials');
    const md = field(init, 'mode');
    if (!m.ok || !c.ok || !md.ok) return null;
    if (typeof m.value === 'string') method = m.value;
    if (typeof c.value === 'string') credentials = c.value;
    if (typeof md.value === 'string') mode = md.value;
    if (mode !== 'cors') return null; // no-cors and same-origin requests are not CORS requests
    if (credentials !== 'include' && credentials !== 'omit' && credentials !== 'same-origin') return null;
    return { api: 'fetch', url, method, credentials, start: now(), sync: false, site: callSite() };
  }

  const origFetch = w.fetch;
  if (typeof origFetch === 'function') {
    const wrapped = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      let info: Info | null = null;
      try {
        info = describeFetch(input, init);
      } catch {}
      // eslint-disable-next-line prefer-rest-params
      const p = origFetch.apply(this, arguments as unknown as [RequestInfo | URL, RequestInit?]);
      if (!info) return p;
      const i = info;
      return p.then(
        (res) => {
          try {
            push(i, 'response', res.status);
          } catch {}
          return res;
        },
        (err: unknown) => {
          try {
            push(i, (err as { name?: unknown } | null)?.name === 'AbortError' ? 'aborted' : 'network-error', 0);
          } catch {}
          throw err;
        },
      );
    };
    try {
      Object.defineProperty(wrapped, 'length', { value: origFetch.length });
    } catch {}
    w.fetch = wrapped;
  }

  const XHR = w.XMLHttpRequest;
  if (typeof XHR === 'function') {
    const proto = XHR.prototype;
    const origOpen = proto.open;
    const origSend = proto.send;
    const opened = new WeakMap<XMLHttpRequest, { method: string; url: string | null; async: boolean }>();
    proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL) {
      try {
        // eslint-disable-next-line prefer-rest-params
        const async = arguments.length < 3 || !!arguments[2];
        opened.set(this, { method: typeof method === 'string' ? method : '', url: crossOrigin(url), async });
      } catch {}
      // eslint-disable-next-line prefer-rest-params
      return origOpen.apply(this, arguments as unknown as Parameters<typeof origOpen>);
    };
    proto.send = function send(this: XMLHttpRequest) {
      let info: Info | null = null;
      try {
        const o = opened.get(this);
        if (o && o.url && o.method)
          info = {
            api: 'xhr',
            url: o.url,
            method: o.method,
            credentials: this.withCredentials ? 'include' : 'same-origin',
            start: now(),
            sync: !o.async,
            site: callSite(),
          };
      } catch {}
      // eslint-disable-next-line prefer-rest-params
      const args = arguments as unknown as Parameters<typeof origSend>;
      if (!info) return origSend.apply(this, args);
      const i = info;
      if (i.sync) {
        let r: void;
        try {
          r = origSend.apply(this, args);
        } catch (e) {
          try {
            push(i, 'network-error', 0);
          } catch {}
          throw e;
        }
        try {
          push(i, 'response', this.status);
        } catch {}
        return r;
      }
      try {
        const xhr = this;
        let done = false;
        const end = (outcome: 'response' | 'network-error' | 'aborted') => () => {
          if (done) return;
          done = true;
          try {
            push(i, outcome, outcome === 'response' ? xhr.status : 0);
          } catch {}
        };
        addListener.call(xhr, 'load', end('response'));
        addListener.call(xhr, 'error', end('network-error'));
        addListener.call(xhr, 'abort', end('aborted'));
        addListener.call(xhr, 'timeout', end('aborted'));
      } catch {}
      return origSend.apply(this, args);
    };
  }

  Object.defineProperty(w, slot, {
    value: () => (buf.length ? stringify(buf.splice(0, buf.length)) : '[]'),
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

/** The script for inspectedWindow.reload's injectedScript option. */
export function pageViewScript(): string {
  return `(${pageViewWrapper.toString()})(${JSON.stringify(PAGE_VIEW_KEY)});`;
}
