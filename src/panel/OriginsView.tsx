// The per-origin live log: every cross-origin request of the tab, passing and failing, grouped by
// the target origin and inside by the page origin that made it. Counts come from the background
// (they survive eviction from the entry log); rows are virtualized and re-rendered once a frame.
import { memo } from 'preact/compat';
import { useMemo, useRef, useState } from 'preact/hooks';
import type { OriginStats } from '../core/log';
import type { OriginFilter } from './filter';
import { clock } from './format';
import { useNavKeys, type NavKeys } from './RequestList';
import { useVirtual } from './virtual';

export interface OriginGroup {
  target: string;
  pass: number;
  blocked: number;
  other: number;
  lastSeen: number;
  pages: OriginStats[];
}

export type OriginSort = 'origin' | 'total' | 'blocked' | 'lastSeen';

const total = (s: { pass: number; blocked: number; other: number }) => s.pass + s.blocked + s.other;

export function groupOrigins(stats: readonly OriginStats[], sort: OriginSort = 'origin'): OriginGroup[] {
  const by = new Map<string, OriginGroup>();
  for (const s of stats) {
    let g = by.get(s.target);
    if (!g) by.set(s.target, (g = { target: s.target, pass: 0, blocked: 0, other: 0, lastSeen: 0, pages: [] }));
    g.pass += s.pass;
    g.blocked += s.blocked;
    g.other += s.other;
    g.lastSeen = Math.max(g.lastSeen, s.lastSeen);
    g.pages.push(s);
  }
  const cmp = (a: OriginGroup | OriginStats, b: OriginGroup | OriginStats, name: (x: typeof a) => string) => {
    switch (sort) {
      case 'total':
        return total(b) - total(a) || name(a).localeCompare(name(b));
      case 'blocked':
        return b.blocked - a.blocked || name(a).localeCompare(name(b));
      case 'lastSeen':
        return b.lastSeen - a.lastSeen || name(a).localeCompare(name(b));
      default:
        return name(a).localeCompare(name(b));
    }
  };
  const groups = [...by.values()].sort((a, b) => cmp(a, b, (x) => (x as OriginGroup).target));
  for (const g of groups) g.pages.sort((a, b) => cmp(a, b, (x) => (x as OriginStats).page));
  return groups;
}

type Line = { kind: 'group'; group: OriginGroup } | { kind: 'page'; group: OriginGroup; page: OriginStats };

const ROW_PX = 24;
const HEADER_PX = 24;

interface Props {
  origins: readonly OriginStats[];
  onOpen(f: OriginFilter, blockedOnly: boolean): void;
  keys: { current: NavKeys | null };
  paused: boolean;
}

export function OriginsView({ origins, onOpen, keys, paused }: Props) {
  const [sort, setSort] = useState<OriginSort>('origin');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [cursor, setCursorState] = useState(0);
  const curRef = useRef(0);
  const setCursor = (i: number) => {
    curRef.current = i;
    setCursorState(i);
  };
  const groups = useMemo(() => groupOrigins(origins, sort), [origins, sort]);
  const lines = useMemo(() => {
    const out: Line[] = [];
    for (const g of groups) {
      out.push({ kind: 'group', group: g });
      if (!collapsed.has(g.target)) for (const p of g.pages) out.push({ kind: 'page', group: g, page: p });
    }
    return out;
  }, [groups, collapsed]);
  const v = useVirtual(lines.length, ROW_PX, HEADER_PX);
  const cur = Math.min(cursor, Math.max(0, lines.length - 1));

  const open = (l: Line, blockedOnly = false) =>
    onOpen(
      l.kind === 'group' ? { target: l.group.target } : { target: l.group.target, page: l.page.page },
      blockedOnly,
    );
  const toggle = (target: string, collapse?: boolean) =>
    setCollapsed((c) => {
      const n = new Set(c);
      if (collapse ?? !n.has(target)) n.add(target);
      else n.delete(target);
      return n;
    });

  // Assigned on every render so each key press sees the newest lines and the cursor it left.
  const handler: NavKeys = (e) => {
    if (lines.length === 0) return false;
    const at = Math.min(curRef.current, lines.length - 1);
    const l = lines[at]!;
    let to = at;
    switch (e.key) {
      case 'ArrowDown':
        to = Math.min(lines.length - 1, at + 1);
        break;
      case 'ArrowUp':
        to = Math.max(0, at - 1);
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = lines.length - 1;
        break;
      case 'ArrowLeft':
        if (l.kind === 'group') toggle(l.group.target, true);
        else to = lines.findIndex((x) => x.kind === 'group' && x.group === l.group);
        break;
      case 'ArrowRight':
        if (l.kind === 'group') toggle(l.group.target, false);
        break;
      case 'Enter':
        open(l);
        return true;
      default:
        return false;
    }
    setCursor(to);
    v.reveal(to);
    return true;
  };
  useNavKeys(keys, handler);

  const totals = groups.reduce(
    (a, g) => ({ pass: a.pass + g.pass, blocked: a.blocked + g.blocked, other: a.other + g.other }),
    { pass: 0, blocked: 0, other: 0 },
  );
  const head = (key: OriginSort, label: string, cls = '') => (
    <div
      class={`oh ${cls}${sort === key ? ' sorted' : ''}`}
      role="columnheader"
      aria-sort={sort === key ? (key === 'origin' ? 'ascending' : 'descending') : 'none'}
    >
      <button class="linkish" onClick={() => setSort(key)}>
        {label}
      </button>
    </div>
  );

  const rows = [];
  for (let i = v.start; i < v.end; i++) {
    const l = lines[i]!;
    rows.push(
      <OriginLine
        key={l.kind === 'group' ? `g ${l.group.target}` : `p ${l.group.target} ${l.page.page}`}
        line={l}
        stats={l.kind === 'group' ? l.group : l.page}
        collapsed={l.kind === 'group' && collapsed.has(l.group.target)}
        active={i === cur}
        onOpen={(b) => {
          setCursor(i);
          open(l, b);
        }}
        onToggle={() => toggle(l.group.target)}
      />,
    );
  }

  return (
    <div class="origins-view">
      <div class="origins-summary" role="status">
        <span data-testid="origins-summary">
          {groups.length} target origin{groups.length === 1 ? '' : 's'} · {total(totals)} requests ·{' '}
          <span class="n-pass">{totals.pass} passed</span> · <span class="n-blocked">{totals.blocked} blocked</span>
          {totals.other > 0 && <> · {totals.other} other</>}
        </span>
        <span class="dim">
          {' '}
          — since the tab's log was last cleared, including requests evicted from the list
          {paused ? '; paused: counts catch up when recording resumes' : ''}
        </span>
      </div>
      <div
        class="scroller origins-scroller"
        ref={v.ref}
        onScroll={v.onScroll}
        role="treegrid"
        aria-label="Requests per origin"
        aria-rowcount={lines.length + 1}
      >
        <div class="orow ohead" role="row">
          {head('origin', 'Origin (target › page)', 'o-name')}
          {head('total', 'Total', 'o-num')}
          <div class="oh o-num o-pass" role="columnheader">
            Passed
          </div>
          {head('blocked', 'Blocked', 'o-num o-blocked')}
          <div class="oh o-num o-other" role="columnheader" title="Not CORS (network errors) and pending">
            Other
          </div>
          {head('lastSeen', 'Last seen', 'o-time')}
        </div>
        <div style={{ height: `${v.padTop}px` }} aria-hidden="true" />
        {rows}
        <div style={{ height: `${v.padBottom}px` }} aria-hidden="true" />
      </div>
    </div>
  );
}

interface LineProps {
  line: Line;
  stats: OriginGroup | OriginStats;
  collapsed: boolean;
  active: boolean;
  onOpen(blockedOnly: boolean): void;
  onToggle(): void;
}

const OriginLine = memo(function OriginLine({ line, stats, collapsed, active, onOpen, onToggle }: LineProps) {
  const isGroup = line.kind === 'group';
  const t = total(stats);
  const blockedShare = t ? (stats.blocked / t) * 100 : 0;
  const passShare = t ? (stats.pass / t) * 100 : 0;
  return (
    <div
      class={`orow ${isGroup ? 'ogroup' : 'opage'}${active ? ' active' : ''}${stats.blocked > 0 ? ' has-blocked' : ''}`}
      role="row"
      aria-level={isGroup ? 1 : 2}
      aria-expanded={isGroup ? !collapsed : undefined}
      data-testid={isGroup ? 'origin-group' : 'origin-page'}
      data-target={line.group.target}
      data-page={line.kind === 'page' ? line.page.page : undefined}
      data-pass={stats.pass}
      data-blocked={stats.blocked}
      onClick={() => onOpen(false)}
    >
      <div class="oc o-name" role="gridcell">
        {isGroup ? (
          <button
            class="twisty"
            aria-label={collapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation();
              onToggle();
            }}
          >
            {collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span class="from">from</span>
        )}
        <span class="oname" title={isGroup ? line.group.target : (line as { page: OriginStats }).page.page}>
          {isGroup ? line.group.target : (line as { page: OriginStats }).page.page}
        </span>
        <span class="bar" aria-hidden="true">
          <span class="bar-pass" style={{ width: `${passShare}%` }} />
          <span class="bar-blocked" style={{ width: `${blockedShare}%` }} />
          <span class="bar-other" style={{ width: `${t ? 100 - passShare - blockedShare : 0}%` }} />
        </span>
      </div>
      <div class="oc o-num" role="gridcell">
        {t}
      </div>
      <div class="oc o-num o-pass" role="gridcell">
        {stats.pass}
      </div>
      <div class="oc o-num o-blocked" role="gridcell">
        {stats.blocked > 0 ? (
          <button
            class="linkish n-blocked"
            title="Show only the blocked requests"
            onClick={(e) => {
              e.stopPropagation();
              onOpen(true);
            }}
          >
            {stats.blocked}
          </button>
        ) : (
          '0'
        )}
      </div>
      <div class="oc o-num o-other" role="gridcell">
        {stats.other}
      </div>
      <div class="oc o-time" role="gridcell" title={stats.lastSeen ? new Date(stats.lastSeen).toString() : ''}>
        {clock(stats.lastSeen)}
      </div>
    </div>
  );
});
