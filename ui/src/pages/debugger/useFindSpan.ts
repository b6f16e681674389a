// "Find span" in the tree toolbar: the matching rows (trace/find) of the typed text, and stepping through them.
import { useMemo, useState } from "react";
import { findRows, NO_MATCHES, type RowMatches } from "../../trace/find";
import { rowId, type RowTable } from "../../trace/table";

export interface FindSpan {
  query: string;
  setQuery: (q: string) => void;
  matches: RowMatches;
  /** Select the next (1) or previous (-1) match, wrapping around. */
  jump: (dir: 1 | -1) => void;
}

export function useFindSpan(table: RowTable | null, select: (id: string, row?: number) => void): FindSpan {
  const [query, setQueryState] = useState("");
  // the row last jumped to (-1: none since the query changed)
  const [cursor, setCursor] = useState(-1);
  const matches = useMemo(() => (table ? findRows(table, query) : NO_MATCHES), [table, query]);

  const setQuery = (q: string): void => {
    setQueryState(q);
    setCursor(-1);
  };

  const jump = (dir: 1 | -1): void => {
    if (!table) return;
    const row = matches.next(cursor, dir);
    if (row < 0) return;
    setCursor(row);
    select(rowId(table, row), row);
  };

  return { query, setQuery, matches, jump };
}
