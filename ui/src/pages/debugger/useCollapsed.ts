// Which subtrees of the span tree are folded: toggling one, expanding all, folding to the top level, and opening
// the ancestors of a deep-linked span. Folded spans are kept by id (rows move while a live trace grows) and found
// in each new table by id (trace/table findRow, where they were before tried first): no pass over every row.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { findRow, rowId, type RowTable } from "../../trace/table";

export interface Collapsed {
  collapsed: ReadonlySet<string>;
  /** the rows of the folded spans in this table, ascending */
  rows: Int32Array;
  toggle: (id: string, open?: boolean) => void;
  expandAll: () => void;
  collapseToTop: () => void;
}

/** The folded span ids of a table. A deep link (or a search hit) to span `linkedId` (at row `linkedRow`) inside a
 *  folded subtree opens its ancestors, once per span: folding an ancestor of the selected span afterwards stays
 *  folded. */
export function useCollapsed(table: RowTable | null, linkedId: string | null, linkedRow: number): Collapsed {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const toggle = useCallback((id: string, open?: boolean) => {
    setCollapsed((c) => {
      const next = new Set(c);
      const isOpen = !next.has(id);
      if (open ?? !isOpen) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const expandAll = useCallback(() => setCollapsed(new Set()), []);

  const collapseToTop = useCallback(() => {
    if (!table) return;
    const next = new Set<string>();
    // the top-level spans, one subtree at a time
    for (let i = 0; i < table.n; i += table.size[i]) if (table.size[i] > 1) next.add(rowId(table, i));
    setCollapsed(next);
  }, [table]);

  const lastRows = useRef(new Map<string, number>());
  const rows = useMemo(() => {
    if (!table || !collapsed.size) return new Int32Array(0);
    const found = new Map<string, number>();
    for (const id of collapsed) {
      const row = findRow(table, id, lastRows.current.get(id) ?? -1);
      if (row >= 0) found.set(id, row);
    }
    lastRows.current = found;
    return Int32Array.from(found.values()).sort();
  }, [table, collapsed]);

  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!table || !linkedId || linkedRow < 0 || revealed.current === linkedId) return;
    revealed.current = linkedId;
    const ancestors: string[] = [];
    for (let p = table.parent[linkedRow]; p >= 0; p = table.parent[p]) ancestors.push(rowId(table, p));
    setCollapsed((c) => {
      if (!ancestors.some((a) => c.has(a))) return c;
      const next = new Set(c);
      for (const a of ancestors) next.delete(a);
      return next;
    });
  }, [table, linkedId, linkedRow]);

  return { collapsed, rows, toggle, expandAll, collapseToTop };
}
