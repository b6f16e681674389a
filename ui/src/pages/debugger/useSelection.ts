// The selected span: the one in the URL (`spanId`), else the first row; and its row, found by id in each table
// (trace/table findRow) with the row it was last seen at tried first, so moving through the tree or a new table of
// a growing trace costs no search.
import { useCallback, useMemo, useRef } from "react";
import { navigate, sessionHref } from "../../lib/router";
import { findRow, rowId, type RowTable } from "../../trace/table";

export interface Selection {
  selectedId: string | null;
  /** the selected span's row, -1 when the table has no such span (yet) */
  selectedRow: number;
  /** Select a span (its row, when known, saves a search). */
  select: (id: string, row?: number) => void;
}

export function useSelection(sessionId: string, spanId: string | null, table: RowTable | null): Selection {
  const seen = useRef<{ id: string; row: number } | null>(null);
  const selectedId = spanId ?? (table && table.n > 0 ? rowId(table, 0) : null);
  const selectedRow = useMemo(() => {
    if (!table || !selectedId) return -1;
    const row = findRow(table, selectedId, seen.current?.id === selectedId ? seen.current.row : -1);
    seen.current = { id: selectedId, row };
    return row;
  }, [table, selectedId]);
  const select = useCallback(
    (id: string, row?: number) => {
      if (row !== undefined) seen.current = { id, row };
      navigate(sessionHref(sessionId, id), true);
    },
    [sessionId],
  );
  return { selectedId, selectedRow, select };
}
