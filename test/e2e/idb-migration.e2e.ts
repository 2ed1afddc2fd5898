// The log database's upgrade from layout 2 (entries, slots, tabs, state) to 3 (+ rows) keeps the
// stored logs: run in the real extension service worker's IndexedDB, on a database of its own
// written with layout 2, the upgrade adds each entry record's rows and leaves the entries as they were.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowOf } from '../../src/core/row';
import { extensionWorker, launchChromium, type ChromiumSession } from '../support/chromium';
import { credentialsUnknown, methodNotAllowed, missingAcao, passing } from '../panel/fixtures';

let s: ChromiumSession;
beforeAll(async () => {
  s = await launchChromium();
});
afterAll(async () => {
  await s?.close();
});

it('upgrading a layout-2 log database keeps its entries and adds their rows', async () => {
  const chunk0 = [missingAcao(), passing(), methodNotAllowed()];
  const chunk1 = [credentialsUnknown()];
  const records = [
    { tabId: 5, chunk: 0, write: 0, entries: chunk0, orders: [0, 1, 2] },
    { tabId: 5, chunk: 1, write: 1, entries: chunk1, orders: [256] },
  ];
  const name = `cors-lens-migration-${Date.now()}`; // a fresh database on a retry too
  const worker = await extensionWorker(s);
  const got = await worker.evaluate(
    async ({ name, records }) => {
      const req = <T>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      // Layout 2, as the previous version of the extension created and filled it.
      const open = indexedDB.open(name, 2);
      open.onupgradeneeded = () => {
        const db = open.result;
        db.createObjectStore('entries');
        db.createObjectStore('slots');
        db.createObjectStore('tabs', { keyPath: 'tabId' });
        db.createObjectStore('state');
      };
      const old = await req(open);
      const tx = old.transaction('entries', 'readwrite');
      for (const r of records) tx.objectStore('entries').put(r, [r.tabId, r.chunk, r.write]);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      old.close();
      const backend = await (globalThis as any).__corsLens.openBackend(name);
      const rows = await backend.readRows(5, 0, 10);
      const entries = await backend.read(5, 0, 10);
      indexedDB.deleteDatabase(name);
      return { rows, entries };
    },
    { name, records },
  );
  expect(got.entries).toEqual(records);
  expect(got.rows).toEqual(
    records.map((r) => ({
      tabId: r.tabId,
      chunk: r.chunk,
      write: r.write,
      rows: r.entries.map(rowOf),
      orders: r.orders,
    })),
  );
});
