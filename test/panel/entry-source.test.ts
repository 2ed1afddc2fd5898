import { describe, expect, it } from 'vitest';
import type { PanelMessage } from '../../src/shared/protocol';
import { RowDict, rowOf } from '../../src/core/row';
import { EntrySource } from '../../src/panel/entry-source';
import { LogModel } from '../../src/panel/model';
import { missingAcao, pending } from './fixtures';

// The port's dictionary of shared search texts, as the background keeps one per subscription.
let dict = new RowDict();

function rowsModel(...entries: ReturnType<typeof pending>[]) {
  const m = new LogModel();
  dict = new RowDict();
  m.apply({
    type: 'snapshot',
    tabId: 7,
    entries: [],
    ...dict.encode(entries.map(rowOf)),
    navigations: [],
    origins: [],
    evicted: 0,
  });
  return m;
}

describe('EntrySource', () => {
  it("asks once for a selected row's detail, shows it, and asks again when the row gets newer", () => {
    const sent: PanelMessage[] = [];
    let changed = 0;
    const src = new EntrySource(
      (m) => sent.push(m),
      () => changed++,
    );
    const p = pending();
    const m = rowsModel(p);
    expect(src.detail(m, p.id)).toBeUndefined(); // loading
    expect(src.detail(m, p.id)).toBeUndefined();
    expect(sent).toEqual([{ type: 'detail', id: p.id }]);
    expect(src.receive({ type: 'detail', id: p.id, entry: p })).toBe(true);
    expect(changed).toBe(1);
    expect(src.detail(m, p.id)).toBe(p);
    // The verdict became final: the row's seq moved, the detail is asked for again; the old one stays meanwhile.
    const failed = { ...missingAcao({ id: p.id }), seq: p.seq + 1 };
    m.apply({ type: 'rows', ...dict.encode([rowOf(failed)]), origins: [] });
    expect(src.detail(m, p.id)).toBe(p);
    expect(sent).toHaveLength(2);
    src.receive({ type: 'detail', id: p.id, entry: failed });
    expect(src.detail(m, p.id)).toBe(failed);
    expect(sent).toHaveLength(2);
    // Gone from the model: null, nothing asked.
    expect(src.detail(m, 'nope')).toBeNull();
    // An answer for a selection that moved on is ignored.
    expect(src.receive({ type: 'detail', id: 'other', entry: null })).toBe(true);
    expect(src.detail(m, p.id)).toBe(failed);
    expect(src.receive({ type: 'cleared' })).toBe(false);
  });

  it('uses the full entry the model already has without asking', () => {
    const sent: PanelMessage[] = [];
    const src = new EntrySource(
      (m) => sent.push(m),
      () => {},
    );
    const e = missingAcao();
    const m = LogModel.imported([e]);
    expect(src.detail(m, e.id)).toBe(e);
    expect(sent).toEqual([]);
  });

  it('loads full entries for an export in the order asked, across chunks; a lost connection rejects', async () => {
    const sent: PanelMessage[] = [];
    const src = new EntrySource(
      (m) => sent.push(m),
      () => {},
    );
    const a = missingAcao();
    const b = pending();
    const c = missingAcao();
    const loaded = src.entries([c.id, a.id, b.id]);
    const req = (sent[0] as Extract<PanelMessage, { type: 'fullEntries' }>).req;
    expect(sent[0]).toEqual({ type: 'fullEntries', req, ids: [c.id, a.id, b.id] });
    src.receive({ type: 'fullEntries', req, entries: [a, b], done: false });
    src.receive({ type: 'fullEntries', req: req + 100, entries: [b], done: true }); // another request's
    src.receive({ type: 'fullEntries', req, entries: [c], done: true });
    expect(await loaded).toEqual([c, a, b]);
    const lost = src.entries([a.id]);
    src.disconnected();
    await expect(lost).rejects.toThrow(/connection/);
  });
});
