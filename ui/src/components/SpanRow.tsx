// One row of the span tree: fold caret, category, name, label, marks, duration and waterfall bar.
import { memo } from "react";
import { formatDuration } from "../lib/time";
import { CATEGORIES } from "../trace/categories";
import { IN_LABEL, IN_NAME } from "../trace/find";
import { STATUS_ERROR, STATUS_OK, STATUS_RUNNING, rowLabel, rowName, type RowTable } from "../trace/table";

export const ROW_H = 24;
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

/** Where the waterfall starts (ms) and how long it is. */
export interface TimeScale {
  t0: number;
  total: number;
}

interface Props {
  table: RowTable;
  row: number;
  /** where it is drawn in the block of rows drawn (px) */
  top: number;
  id: string;
  selected: boolean;
  /** where the row matches Find span (find.ts `where` bits; 0: it does not) */
  match: number;
  /** the attribute value that matched when neither the name nor the label did ("" otherwise): shown, marked */
  matchValue: string;
  collapsed: boolean;
  scale: TimeScale;
  now: number;
  /** when the session ended (ms), if it did: spans still open then never ended and stop there */
  endedAt: number | null;
  onSelect: (id: string, row: number) => void;
  onToggle: (id: string) => void;
}

export const SpanRow = memo(function SpanRow({ table, row, top, id, selected, match, matchValue, collapsed, scale, now, endedAt, onSelect, onToggle }: Props): JSX.Element {
  const status = table.status[row];
  const open = status === STATUS_RUNNING;
  const unfinished = open && endedAt != null;
  const running = open && !unfinished;
  const statusName = unfinished ? "unfinished" : STATUS_NAMES[status];
  const start = table.start[row];
  const end = open ? (unfinished ? Math.max(endedAt, start) : now) : table.end[row];
  const dur = end - start;
  const left = ((start - scale.t0) / scale.total) * 100;
  const width = Math.max((dur / scale.total) * 100, 0.15);
  const hasKids = table.size[row] > 1;
  const cat = CATEGORIES[table.cat[row]] ?? "other";
  const label = rowLabel(table, row);
  // the matching text is marked: the name, the label, or else the attribute value that matched, shown after them
  const markLabel = (match & IN_LABEL) !== 0 && label !== "";
  const showValue = matchValue !== "" && matchValue !== label;
  const markName = (match & IN_NAME) !== 0 || (match !== 0 && !markLabel && !showValue);
  return (
    <div
      id={`span-${id}`}
      className={`tree-row st-${statusName} ${selected ? "selected" : ""} ${match ? "match" : ""}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_H }}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={hasKids ? !collapsed : undefined}
      aria-level={table.depth[row] + 1}
      data-testid="span-row"
      data-span-id={id}
      data-status={statusName}
      data-category={cat}
      onClick={() => onSelect(id, row)}
    >
      <div className="tree-col-name" style={{ paddingLeft: 6 + table.depth[row] * 14 }}>
        {hasKids ? (
          <button
            type="button"
            className="caret-btn"
            tabIndex={-1}
            aria-label={collapsed ? "Expand" : "Collapse"}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(id);
            }}
          >
            {collapsed ? "▸" : "▾"}
          </button>
        ) : (
          <span className="caret-spacer" />
        )}
        <span className={`cat cat-${cat}`} title={cat}>
          {CAT_LABEL[cat]}
        </span>
        <span className={`span-name ${markName ? "hit" : ""}`}>{rowName(table, row)}</span>
        {label && (
          <span className={`span-label ${markLabel ? "hit" : ""}`} data-testid="span-label" title={label}>
            {label}
          </span>
        )}
        {showValue && (
          <span className="span-label hit" data-testid="span-match" title={`matched: ${matchValue}`}>
            {matchValue}
          </span>
        )}
        {hasKids && collapsed && <span className="dim small"> +{(table.size[row] - 1).toLocaleString()}</span>}
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
});
