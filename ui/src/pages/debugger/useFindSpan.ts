// "Find span" in the tree toolbar: the matching rows (trace/find) of the typed text, and stepping through them.
import { useMemo, useState } from "react";
import { findRows } from "../../trace/find";
import type { RowTable } from "../../trace/table";

export interface FindSpan {
  query: string;
  setQuery: (q: string) => void;
  matches: ReadonlySet<number>;
  /** Select the next (1) or previous (-1) match, wrapping around. */
  jump: (dir: 1 | -1) => void;
}

export function useFindSpan(table: RowTable | null, select: (id: string) => void): FindSpan {
  const [query, setQueryState] = useState("");
  const [cursor, setCursor] = useState(0);
  const matches = useMemo(() => (table ? findRows(table, query) : new Set<number>()), [table, query]);

  const setQuery = (q: string): void => {
    setQueryState(q);
    setCursor(-1);
  };

  const jump = (dir: 1 | -1): void => {
    if (!table || !matches.size) return;
    const list = [...matches];
    const k = (cursor + dir + list.length) % list.length;
    setCursor(k);
    select(table.ids[list[k]]);
  };

  return { query, setQuery, matches, jump };
}
