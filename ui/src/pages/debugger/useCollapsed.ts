// Which subtrees of the span tree are folded: toggling one, expanding all, folding to the top level, and opening
// the ancestors of a deep-linked span.
import { useCallback, useEffect, useRef, useState } from "react";
import type { RowTable } from "../../trace/table";

export interface Collapsed {
  collapsed: ReadonlySet<string>;
  toggle: (id: string, open?: boolean) => void;
  expandAll: () => void;
  collapseToTop: () => void;
}

/** The folded span ids of a table. A deep link (or a search hit) to `spanId` inside a folded subtree opens its
 *  ancestors, once per span: folding an ancestor of the selected span afterwards stays folded. */
export function useCollapsed(table: RowTable | null, indexById: ReadonlyMap<string, number>, spanId: string | null): Collapsed {
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());

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
    for (let i = 0; i < table.n; i++) if (table.depth[i] === 0 && table.size[i] > 1) next.add(table.ids[i]);
    setCollapsed(next);
  }, [table]);

  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!table || !spanId || revealed.current === spanId) return;
    const idx = indexById.get(spanId) ?? -1;
    if (idx < 0) return;
    revealed.current = spanId;
    const ancestors: string[] = [];
    for (let p = table.parent[idx]; p >= 0; p = table.parent[p]) ancestors.push(table.ids[p]);
    setCollapsed((c) => {
      if (!ancestors.some((a) => c.has(a))) return c;
      const next = new Set(c);
      for (const a of ancestors) next.delete(a);
      return next;
    });
  }, [table, spanId, indexById]);

  return { collapsed, toggle, expandAll, collapseToTop };
}
