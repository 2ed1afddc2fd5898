// IndexedDB backend for the LogStore. One database per extension (its origin), four stores:
//   entries  key [tabId, chunk, write] → EntryRecord  (a batch's entries of one chunk of orders)
//   slots    key [tabId, chunk, write] → SlotRecord   (their index data: what a restore reads)
//   tabs     key tabId                 → TabMeta      (counts, navigations, oldest live order)
//   state    key name                  → small records (the linker journal)
// It lives on disk in the browser profile, so the background wipes it when a new browser session
// starts (see lifecycle.ts) and drops a tab's records when the tab closes.
import type { Backend, EntryRecord, SlotRecord, TabMeta, WriteBatch } from './store';

const DB_NAME = 'cors-lens';
const DB_VERSION = 2;

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

// Array keys compare element by element and a proper prefix sorts first, so [tab] < [tab, c, w] < [tab, Infinity].
const tabRange = (tabId: number) => IDBKeyRange.bound([tabId], [tabId, Infinity]);
const belowChunk = (tabId: number, chunk: number) => IDBKeyRange.bound([tabId], [tabId, chunk], false, true);

export class IdbBackend implements Backend {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(name = DB_NAME): Promise<IdbBackend> {
    const open = indexedDB.open(name, DB_VERSION);
    open.onupgradeneeded = () => {
      // The stored logs are a cache of this browser session: a new layout simply starts empty.
      const db = open.result;
      for (const s of [...db.objectStoreNames]) db.deleteObjectStore(s);
      db.createObjectStore('entries');
      db.createObjectStore('slots');
      db.createObjectStore('tabs', { keyPath: 'tabId' });
      db.createObjectStore('state');
    };
    return new IdbBackend(await req(open));
  }

  async load(): Promise<{ metas: TabMeta[]; slots: SlotRecord[]; state: Map<string, unknown> }> {
    const tx = this.db.transaction(['tabs', 'slots', 'state'], 'readonly');
    const [metas, slots, keys, values] = await Promise.all([
      req(tx.objectStore('tabs').getAll() as IDBRequest<TabMeta[]>),
      req(tx.objectStore('slots').getAll() as IDBRequest<SlotRecord[]>),
      req(tx.objectStore('state').getAllKeys()),
      req(tx.objectStore('state').getAll()),
    ]);
    const state = new Map<string, unknown>();
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the state store's keys are strings
    keys.forEach((k, i) => state.set(String(k), values[i]));
    return { metas, slots, state };
  }

  async write(b: WriteBatch): Promise<void> {
    const tx = this.db.transaction(['entries', 'slots', 'tabs', 'state'], 'readwrite', { durability: 'relaxed' });
    const entries = tx.objectStore('entries');
    const slots = tx.objectStore('slots');
    const tabs = tx.objectStore('tabs');
    const state = tx.objectStore('state');
    for (const tabId of b.dropEntries) {
      entries.delete(tabRange(tabId));
      slots.delete(tabRange(tabId));
    }
    for (const tabId of b.dropMetas) tabs.delete(tabId);
    for (const [tabId, chunk] of b.dropBelow) {
      entries.delete(belowChunk(tabId, chunk));
      slots.delete(belowChunk(tabId, chunk));
    }
    for (const r of b.entries) entries.put(r, [r.tabId, r.chunk, r.write]);
    for (const r of b.slots) slots.put(r, [r.tabId, r.chunk, r.write]);
    for (const m of b.metas) tabs.put(m);
    for (const [k, v] of b.state) state.put(v, k);
    await done(tx);
  }

  async read(tabId: number, fromChunk: number, limit: number): Promise<EntryRecord[]> {
    const store = this.db.transaction('entries', 'readonly').objectStore('entries');
    const recs = await req(
      store.getAll(IDBKeyRange.bound([tabId, fromChunk], [tabId, Infinity]), limit) as IDBRequest<EntryRecord[]>,
    );
    if (recs.length === limit && recs.length > 0) {
      // Complete the last chunk (its records may continue past the limit).
      const last = recs[recs.length - 1]!;
      const more = await req(
        this.db
          .transaction('entries', 'readonly')
          .objectStore('entries')
          .getAll(
            IDBKeyRange.bound([tabId, last.chunk, last.write], [tabId, last.chunk, Infinity], true, false),
          ) as IDBRequest<EntryRecord[]>,
      );
      recs.push(...more);
    }
    return recs;
  }

  async wipe(): Promise<void> {
    const tx = this.db.transaction(['entries', 'slots', 'tabs', 'state'], 'readwrite');
    for (const s of ['entries', 'slots', 'tabs', 'state']) tx.objectStore(s).clear();
    await done(tx);
  }
}
