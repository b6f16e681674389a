// The span tree with its waterfall: only the rows in view are rendered (useFixedRows), each a SpanRow.
import { useEffect, useMemo, useRef } from "react";
import { IN_OTHER, type RowMatches } from "../trace/find";
import { rowId, type RowTable } from "../trace/table";
import { ROW_H, SpanRow, type TimeScale } from "./SpanRow";
import { TreeHead } from "./TreeHead";
import { useFixedRows } from "./useFixedRows";
import { useTreeKeys } from "./useTreeKeys";
import type { VisibleRows } from "./visibleRows";

const BLOCK = 1024;

export interface SpanTreeProps {
  table: RowTable;
  visible: VisibleRows;
  collapsed: ReadonlySet<string>;
  selectedId: string | null;
  /** the selected span's row (-1: none) */
  selectedRow: number;
  matches: RowMatches;
  /** some span is still running: the waterfall reaches `now` (or `endedAt`) */
  hasRunning: boolean;
  now: number;
  /** when the session ended (ms), if it did: spans still open then never ended and stop there */
  endedAt?: number | null;
  onSelect: (id: string, row?: number) => void;
  onToggle: (id: string, open?: boolean) => void;
}

export function SpanTree({ table, visible, collapsed, selectedId, selectedRow, matches, hasRunning, now, endedAt = null, onSelect, onToggle }: SpanTreeProps): JSX.Element {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useFixedRows(scrollRef, visible.count, ROW_H, 12);
  const selectedPos = visible.posOf(selectedRow);

  const t1 = hasRunning ? Math.max(table.t1, endedAt ?? now) : table.t1;
  const total = Math.max(t1 - table.t0, 0.001);
  const scale: TimeScale = useMemo(() => ({ t0: table.t0, total }), [table.t0, total]);

  const scrolledOnce = useRef(false);
  useEffect(() => {
    if (selectedPos < 0) return;
    // the first time (a deep link), put the span in the middle; later moves scroll just enough
    rows.scrollToIndex(selectedPos, scrolledOnce.current ? "auto" : "center");
    scrolledOnce.current = true;
    // only when the selection moves
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedPos]);

  const onKeyDown = useTreeKeys({ table, visible, selectedPos, isCollapsed: (id) => collapsed.has(id), onSelect, onToggle });

  // rows are drawn from a base row (it moves every BLOCK rows: a row keeps its place, and its memo, as the view
  // scrolls), so no offset grows past what layout and transforms hold exactly
  const base = rows.first - (rows.first % BLOCK);
  const shown: JSX.Element[] = [];
  for (let pos = rows.first; pos < rows.last; pos++) {
    const row = visible.rowAt(pos);
    const id = rowId(table, row);
    const where = matches.where(row);
    shown.push(
      <SpanRow
        key={id}
        table={table}
        row={row}
        top={(pos - base) * ROW_H}
        id={id}
        selected={row === selectedRow}
        match={where}
        matchValue={where === IN_OTHER ? matches.value(row) : ""}
        collapsed={collapsed.has(id)}
        scale={scale}
        now={now}
        endedAt={endedAt}
        onSelect={onSelect}
        onToggle={onToggle}
      />,
    );
  }

  return (
    <div className="span-tree" data-testid="span-tree">
      <TreeHead total={total} />
      <div
        ref={scrollRef}
        className="tree-scroll"
        tabIndex={0}
        role="tree"
        aria-label="Spans"
        aria-activedescendant={selectedId && selectedPos >= 0 ? `span-${selectedId}` : undefined}
        data-testid="span-tree-scroll"
        onKeyDown={onKeyDown}
      >
        <div style={{ height: rows.totalSize, position: "relative" }}>
          <div className="tree-rows" style={{ transform: `translateY(${base * ROW_H - rows.shift}px)` }}>
            {shown}
          </div>
        </div>
      </div>
    </div>
  );
}
