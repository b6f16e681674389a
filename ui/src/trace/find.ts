// "Find span" in one trace: the rows whose name, label or searched attribute values (labels.SEARCH_KEYS: tool,
// model, agent, method, server...) contain the query, case-insensitively.
import type { RowTable } from "./table";

function matching(texts: string[], q: string): boolean[] {
  return texts.map((text) => text !== "" && text.toLowerCase().includes(q));
}

/** Indices of the matching rows in row order; empty for a blank query. */
export function findRows(table: RowTable, query: string): Set<number> {
  const out = new Set<number>();
  const q = query.trim().toLowerCase();
  if (!q) return out;
  // a label or a search text matches once for all its rows; names repeat too
  const labels = matching(table.labelTexts, q);
  const search = matching(table.searchTexts, q);
  const names = new Map<string, boolean>();
  for (let i = 0; i < table.n; i++) {
    const name = table.names[i];
    let byName = names.get(name);
    if (byName === undefined) {
      byName = name.toLowerCase().includes(q);
      names.set(name, byName);
    }
    if (byName || labels[table.label[i]] || search[table.search[i]]) out.add(i);
  }
  return out;
}
