// IndexedDB backend for the LogStore. One database per extension (its origin), three stores:
//   entries  key [tabId, order] → StoredEntry   (a tab's entries read back in insertion order)
//   tabs     key tabId          → TabMeta       (counts, navigations, the compact index)
//   state    key name           → small records (the linker journal)
// It lives on disk in the browser profile, so the background wipes it when a new browser session
// starts (see lifecycle.ts) and drops a tab's rows when the tab closes.
import type { Backend, StoredEntry, TabMeta, WriteBatch } from './store';

const DB_NAME = 'cors-lens';
const DB_VERSION = 1;

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

const tabRange = (tabId: number) => IDBKeyRange.bound([tabId, -Infinity], [tabId, Infinity]);

export class IdbBackend implements Backend {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(name = DB_NAME): Promise<IdbBackend> {
    const open = indexedDB.open(name, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      for (const s of [...db.objectStoreNames]) db.deleteObjectStore(s);
      db.createObjectStore('entries');
      db.createObjectStore('tabs', { keyPath: 'tabId' });
      db.createObjectStore('state');
    };
    return new IdbBackend(await req(open));
  }

  async load(): Promise<{ metas: TabMeta[]; state: Map<string, unknown> }> {
    const tx = this.db.transaction(['tabs', 'state'], 'readonly');
    const [metas, keys, values] = await Promise.all([
      req(tx.objectStore('tabs').getAll() as IDBRequest<TabMeta[]>),
      req(tx.objectStore('state').getAllKeys()),
      req(tx.objectStore('state').getAll()),
    ]);
    const state = new Map<string, unknown>();
    keys.forEach((k, i) => state.set(String(k), values[i]));
    return { metas, state };
  }

  async write(b: WriteBatch): Promise<void> {
    const tx = this.db.transaction(['entries', 'tabs', 'state'], 'readwrite', { durability: 'relaxed' });
    const entries = tx.objectStore('entries');
    const tabs = tx.objectStore('tabs');
    const state = tx.objectStore('state');
    for (const tabId of b.dropEntries) entries.delete(tabRange(tabId));
    for (const tabId of b.dropMetas) tabs.delete(tabId);
    for (const [tabId, order] of b.deletes) entries.delete([tabId, order]);
    for (const p of b.puts) entries.put(p, [p.tabId, p.order]);
    for (const m of b.metas) tabs.put(m);
    for (const [k, v] of b.state) state.put(v, k);
    await done(tx);
  }

  async read(tabId: number, afterOrder: number, limit: number): Promise<StoredEntry[]> {
    const tx = this.db.transaction('entries', 'readonly');
    const range = IDBKeyRange.bound([tabId, afterOrder], [tabId, Infinity], true, false);
    return req(tx.objectStore('entries').getAll(range, limit) as IDBRequest<StoredEntry[]>);
  }

  async wipe(): Promise<void> {
    const tx = this.db.transaction(['entries', 'tabs', 'state'], 'readwrite');
    for (const s of ['entries', 'tabs', 'state']) tx.objectStore(s).clear();
    await done(tx);
  }
}
