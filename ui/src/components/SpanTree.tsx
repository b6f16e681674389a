import { useEffect, useMemo, useRef } from "react";
import { formatDuration } from "../lib/time";
import { CATEGORIES } from "../trace/categories";
import { STATUS_ERROR, STATUS_OK, STATUS_RUNNING, rowLabel, type RowTable } from "../trace/table";
import { useFixedRows } from "./useFixedRows";

const ROW_H = 24;
const STATUS_NAMES = ["unset", "ok", "error", "running"];
const CAT_LABEL: Record<string, string> = {
  other: "·",
  workflow: "W",
  agent: "A",
  llm: "L",
  tool: "T",
  rpc: "R",
  resource: "D",
  prompt: "P",
};

export interface SpanTreeProps {
  table: RowTable;
  indexById: ReadonlyMap<string, number>;
  visible: Int32Array;
  collapsed: ReadonlySet<string>;
  selectedId: string | null;
  matches: ReadonlySet<number>;
  now: number;
  /** when the session ended (ms), if it did: spans still open then never ended and stop there */
  endedAt?: number | null;
  onSelect: (id: string) => void;
  onToggle: (id: string, open?: boolean) => void;
}

function ticks(total: number): { pct: number; label: string }[] {
  return [0, 0.25, 0.5, 0.75].map((f) => ({ pct: f * 100, label: f === 0 ? "0" : formatDuration(total * f) }));
}

export function SpanTree({
  table,
  indexById,
  visible,
  collapsed,
  selectedId,
  matches,
  now,
  endedAt = null,
  onSelect,
  onToggle,
}: SpanTreeProps): JSX.Element {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useFixedRows(scrollRef, visible.length, ROW_H, 12);

  const selectedRow = selectedId !== null ? (indexById.get(selectedId) ?? -1) : -1;
  const selectedPos = useMemo(() => {
    if (selectedRow < 0) return -1;
    for (let k = 0; k < visible.length; k++) if (visible[k] === selectedRow) return k;
    return -1;
  }, [visible, selectedRow]);

  const hasRunning = useMemo(() => table.status.includes(STATUS_RUNNING), [table]);
  const t0 = table.t0;
  const t1 = hasRunning ? Math.max(table.t1, endedAt ?? now) : table.t1;
  const total = Math.max(t1 - t0, 0.001);

  const scrolledOnce = useRef(false);
  useEffect(() => {
    if (selectedPos < 0) return;
    // the first time (a deep link), put the span in the middle; later moves scroll just enough
    rows.scrollToIndex(selectedPos, scrolledOnce.current ? "auto" : "center");
    scrolledOnce.current = true;
    // only when the selection moves
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedPos]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    if (!visible.length) return;
    const pos = selectedPos < 0 ? 0 : selectedPos;
    const row = visible[pos];
    const id = table.ids[row];
    const hasKids = table.size[row] > 1;
    let next = -1;
    switch (e.key) {
      case "ArrowDown":
        next = Math.min(visible.length - 1, selectedPos < 0 ? 0 : pos + 1);
        break;
      case "ArrowUp":
        next = Math.max(0, pos - 1);
        break;
      case "PageDown":
        next = Math.min(visible.length - 1, pos + 20);
        break;
      case "PageUp":
        next = Math.max(0, pos - 20);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = visible.length - 1;
        break;
      case "ArrowRight":
        if (hasKids && collapsed.has(id)) onToggle(id, true);
        else if (hasKids) next = pos + 1;
        break;
      case "ArrowLeft":
        if (hasKids && !collapsed.has(id)) onToggle(id, false);
        else if (table.parent[row] >= 0) onSelect(table.ids[table.parent[row]]);
        break;
      case "Enter":
      case " ":
        if (hasKids) onToggle(id);
        else onSelect(id);
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next >= 0) onSelect(table.ids[visible[next]]);
  };

  return (
    <div className="span-tree" data-testid="span-tree">
      <div className="tree-head">
        <div className="tree-col-name">Span</div>
        <div className="tree-col-dur">Duration</div>
        <div className="tree-col-wf">
          {ticks(total).map((t) => (
            <span key={t.pct} className="tick" style={{ left: `${t.pct}%` }}>
              {t.label}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        className="tree-scroll"
        tabIndex={0}
        role="tree"
        aria-label="Spans"
        aria-activedescendant={selectedId ? `span-${selectedId}` : undefined}
        data-testid="span-tree-scroll"
        onKeyDown={onKeyDown}
      >
        <div style={{ height: rows.totalSize, position: "relative" }}>
          {Array.from({ length: rows.last - rows.first }, (_, k) => {
            const pos = rows.first + k;
            const i = visible[pos];
            const id = table.ids[i];
            const status = table.status[i];
            const open = status === STATUS_RUNNING;
            const unfinished = open && endedAt != null;
            const running = open && !unfinished;
            const statusName = unfinished ? "unfinished" : STATUS_NAMES[status];
            const start = table.start[i];
            const end = open ? (unfinished ? Math.max(endedAt, start) : now) : table.end[i];
            const dur = end - start;
            const left = ((start - t0) / total) * 100;
            const width = Math.max((dur / total) * 100, 0.15);
            const hasKids = table.size[i] > 1;
            const isCollapsed = collapsed.has(id);
            const cat = CATEGORIES[table.cat[i]] ?? "other";
            const selected = i === selectedRow;
            const label = rowLabel(table, i);
            return (
              <div
                key={id}
                id={`span-${id}`}
                className={`tree-row st-${statusName} ${selected ? "selected" : ""} ${matches.has(i) ? "match" : ""}`}
                style={{ transform: `translateY(${pos * ROW_H}px)`, height: ROW_H }}
                role="treeitem"
                aria-selected={selected}
                aria-expanded={hasKids ? !isCollapsed : undefined}
                aria-level={table.depth[i] + 1}
                data-testid="span-row"
                data-span-id={id}
                data-status={statusName}
                data-category={cat}
                onClick={() => onSelect(id)}
              >
                <div className="tree-col-name" style={{ paddingLeft: 6 + table.depth[i] * 14 }}>
                  {hasKids ? (
                    <button
                      type="button"
                      className="caret-btn"
                      tabIndex={-1}
                      aria-label={isCollapsed ? "Expand" : "Collapse"}
                      onClick={(e) => {
                        e.stopPropagation();
                        onToggle(id);
                      }}
                    >
                      {isCollapsed ? "▸" : "▾"}
                    </button>
                  ) : (
                    <span className="caret-spacer" />
                  )}
                  <span className={`cat cat-${cat}`} title={cat}>
                    {CAT_LABEL[cat]}
                  </span>
                  <span className="span-name">{table.names[i]}</span>
                  {label && (
                    <span className="span-label" data-testid="span-label" title={label}>
                      {label}
                    </span>
                  )}
                  {hasKids && isCollapsed && <span className="dim small"> +{table.size[i] - 1}</span>}
                  {status === STATUS_ERROR && <span className="err-mark" title="error">!</span>}
                  {unfinished && (
                    <span className="unfinished-mark" title="never ended: its session ended first">
                      unfinished
                    </span>
                  )}
                </div>
                <div className="tree-col-dur mono">{running ? <span className="running-text">{formatDuration(dur)}…</span> : formatDuration(dur)}</div>
                <div className="tree-col-wf">
                  <div
                    className={`wf-bar wf-${cat} ${running ? "wf-running" : ""} ${status === STATUS_ERROR ? "wf-error" : ""} ${status === STATUS_OK ? "wf-ok" : ""}`}
                    style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
