// IndexedDB backend for the LogStore. One database per extension (its origin), five stores:
//   entries  key [tabId, chunk, write] → EntryRecord  (a batch's entries of one chunk of orders)
//   rows     key [tabId, chunk, write] → RowRecord    (their list rows: what a panel snapshot reads)
//   slots    key [tabId, chunk, write] → SlotRecord   (their index data: what a restore reads)
//   tabs     key tabId                 → TabMeta      (counts, navigations, oldest live order)
//   state    key name                  → small records (the linker journal)
// It lives on disk in the browser profile, so the background wipes it when a new browser session
// starts (see lifecycle.ts) and drops a tab's records when the tab closes.
import { rowOf } from '../core/row';
import type { Backend, EntryRecord, RowRecord, SlotRecord, TabMeta, WriteBatch } from './store';

const DB_NAME = 'cors-lens';
/** 2: entries, slots, tabs, state. 3: + rows (built from the stored entries on upgrade). */
const DB_VERSION = 3;
const STORES = ['entries', 'rows', 'slots', 'tabs', 'state'];

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
    open.onupgradeneeded = (ev) => {
      const db = open.result;
      if (ev.oldVersion === 2) {
        // Version 2's logs are kept: each entry record gets its row record (an extension update
        // restarts the worker mid-session; the panel would otherwise lose the tab's log).
        const rows = db.createObjectStore('rows');
        const tx = open.transaction!;
        const cursor = tx.objectStore('entries').openCursor();
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (!c) return;
          const r = c.value as EntryRecord;
          const rec: RowRecord = {
            tabId: r.tabId,
            chunk: r.chunk,
            write: r.write,
            rows: r.entries.map(rowOf),
            orders: r.orders,
          };
          rows.put(rec, c.primaryKey);
          c.continue();
        };
        return;
      }
      // Older layouts (before version 2) were a cache of the browser session: they start empty.
      for (const s of [...db.objectStoreNames]) db.deleteObjectStore(s);
      db.createObjectStore('entries');
      db.createObjectStore('rows');
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
    const tx = this.db.transaction(STORES, 'readwrite', { durability: 'relaxed' });
    const entries = tx.objectStore('entries');
    const rows = tx.objectStore('rows');
    const slots = tx.objectStore('slots');
    const tabs = tx.objectStore('tabs');
    const state = tx.objectStore('state');
    for (const tabId of b.dropEntries) {
      entries.delete(tabRange(tabId));
      rows.delete(tabRange(tabId));
      slots.delete(tabRange(tabId));
    }
    for (const tabId of b.dropMetas) tabs.delete(tabId);
    for (const [tabId, chunk] of b.dropBelow) {
      entries.delete(belowChunk(tabId, chunk));
      rows.delete(belowChunk(tabId, chunk));
      slots.delete(belowChunk(tabId, chunk));
    }
    for (const r of b.entries) entries.put(r, [r.tabId, r.chunk, r.write]);
    for (const r of b.rows) rows.put(r, [r.tabId, r.chunk, r.write]);
    for (const r of b.slots) slots.put(r, [r.tabId, r.chunk, r.write]);
    for (const m of b.metas) tabs.put(m);
    for (const [k, v] of b.state) state.put(v, k);
    await done(tx);
  }

  read(tabId: number, fromChunk: number, limit: number): Promise<EntryRecord[]> {
    return this.readFrom<EntryRecord>('entries', tabId, fromChunk, limit);
  }

  readRows(tabId: number, fromChunk: number, limit: number): Promise<RowRecord[]> {
    return this.readFrom<RowRecord>('rows', tabId, fromChunk, limit);
  }

  private async readFrom<R extends { chunk: number; write: number }>(
    name: string,
    tabId: number,
    fromChunk: number,
    limit: number,
  ): Promise<R[]> {
    // The transaction is created now (synchronously): it sees every write handed to the backend before.
    const store = this.db.transaction(name, 'readonly').objectStore(name);
    const recs = await req(
      store.getAll(IDBKeyRange.bound([tabId, fromChunk], [tabId, Infinity]), limit) as IDBRequest<R[]>,
    );
    if (recs.length === limit && recs.length > 0) {
      // Complete the last chunk (its records may continue past the limit).
      const last = recs[recs.length - 1]!;
      const more = await req(
        this.db
          .transaction(name, 'readonly')
          .objectStore(name)
          .getAll(
            IDBKeyRange.bound([tabId, last.chunk, last.write], [tabId, last.chunk, Infinity], true, false),
          ) as IDBRequest<R[]>,
      );
      recs.push(...more);
    }
    return recs;
  }

  async wipe(): Promise<void> {
    const tx = this.db.transaction(STORES, 'readwrite');
    for (const s of STORES) tx.objectStore(s).clear();
    await done(tx);
  }
}
