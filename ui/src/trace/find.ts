// "Find span" in one trace: the rows whose name, label or searched attribute values (inspector_hooks.labels.SEARCH_KEYS: tool,
// model, agent, method, server...) contain the query, case-insensitively. A query is matched against the distinct
// texts only (names, labels and search texts repeat). The first query of a table counts its rows in one pass over
// typed columns; the next (typing) count by the rows' distinct (name, label, search) combinations, found once, so
// a keystroke costs the distinct texts and combinations, not a pass over a million rows.
import type { RowTable } from "./table";

/** Where a row matches (bits of `RowMatches.where`): its name, its label, or another searched attribute. */
export const IN_NAME = 1;
export const IN_LABEL = 2;
export const IN_OTHER = 4;

/** The rows that match one query. */
export interface RowMatches {
  /** how many rows match */
  count: number;
  has: (row: number) => boolean;
  /** IN_NAME | IN_LABEL | IN_OTHER bits of where `row` matches (0: it does not) */
  where: (row: number) => number;
  /** The first matching row after `row` (`dir` 1) or before it (-1), wrapping around; -1 when none. */
  next: (row: number, dir: 1 | -1) => number;
  /** The searched attribute value of `row` that matches (as written), for a row shown by neither its name nor its
   * label: "" when none. */
  value: (row: number) => string;
}

export const NO_MATCHES: RowMatches = { count: 0, has: () => false, where: () => 0, next: () => -1, value: () => "" };

/** Each distinct (name, label, search) combination of a table's rows and how many rows have it. */
interface Combos {
  name: Int32Array;
  label: Int32Array;
  search: Int32Array;
  rows: Float64Array;
}

/** What Find keeps of a table: its texts in lower case, how many queries it answered, and its combinations. */
interface Known {
  names: string[];
  labels: string[];
  searches: string[];
  queries: number;
  combos: Combos | null;
}

const known = new WeakMap<RowTable, Known>();

function knownOf(table: RowTable): Known {
  let k = known.get(table);
  if (!k) {
    const lower = (texts: string[]): string[] => texts.map((t) => t.toLowerCase());
    k = { names: lower(table.nameTexts), labels: lower(table.labelTexts), searches: lower(table.searchTexts), queries: 0, combos: null };
    known.set(table, k);
  }
  return k;
}

function combos(table: RowTable): Combos {
  const labels = table.labelTexts.length;
  const searches = table.searchTexts.length;
  // (name, label) first, then (pair, search): keys stay small integers (no heap number per row)
  const pairOf = new Map<number, number>();
  const seen = new Map<number, number>();
  const name: number[] = [];
  const label: number[] = [];
  const search: number[] = [];
  const rows: number[] = [];
  for (let i = 0; i < table.n; i++) {
    const pairKey = table.nameIndex[i] * labels + table.label[i];
    let pair = pairOf.get(pairKey);
    if (pair === undefined) {
      pair = pairOf.size;
      pairOf.set(pairKey, pair);
    }
    const key = pair * searches + table.search[i];
    const k = seen.get(key);
    if (k !== undefined) rows[k]++;
    else {
      seen.set(key, rows.length);
      name.push(table.nameIndex[i]);
      label.push(table.label[i]);
      search.push(table.search[i]);
      rows.push(1);
    }
  }
  return { name: Int32Array.from(name), label: Int32Array.from(label), search: Int32Array.from(search), rows: Float64Array.from(rows) };
}

function hits(texts: string[], q: string): Uint8Array {
  const out = new Uint8Array(texts.length);
  for (let k = 0; k < texts.length; k++) if (texts[k] !== "" && texts[k].includes(q)) out[k] = 1;
  return out;
}

/** The rows of `table` that match `query`; none for a blank query. */
export function findRows(table: RowTable, query: string): RowMatches {
  const q = query.trim().toLowerCase();
  if (!q) return NO_MATCHES;
  const k = knownOf(table);
  const byName = hits(k.names, q);
  const byLabel = hits(k.labels, q);
  const bySearch = hits(k.searches, q);
  let count = 0;
  if (k.queries++ === 0) {
    // the first query of a table (a live trace sends a new one every second or so): one pass over the rows
    for (let i = 0; i < table.n; i++) if (byName[table.nameIndex[i]] | byLabel[table.label[i]] | bySearch[table.search[i]]) count++;
  } else {
    // more queries (typing): the combinations, found once, answer each in as many steps as there are of them
    const c = (k.combos ??= combos(table));
    for (let j = 0; j < c.rows.length; j++) if (byName[c.name[j]] || byLabel[c.label[j]] || bySearch[c.search[j]]) count += c.rows[j];
  }
  const has = (i: number): boolean => i >= 0 && i < table.n && !!(byName[table.nameIndex[i]] || byLabel[table.label[i]] || bySearch[table.search[i]]);
  const where = (i: number): number =>
    i < 0 || i >= table.n ? 0 : byName[table.nameIndex[i]] * IN_NAME + byLabel[table.label[i]] * IN_LABEL + bySearch[table.search[i]] * IN_OTHER;
  const next = (row: number, dir: 1 | -1): number => {
    const n = table.n;
    if (!count) return -1;
    // from the row after (before) `row` round to `row` itself; -1 starts at the first (last) row
    let i = row < 0 ? (dir === 1 ? 0 : n - 1) : (row + dir + n) % n;
    for (let step = 0; step < n; step++, i = (i + dir + n) % n) if (has(i)) return i;
    return -1;
  };
  const value = (i: number): string => {
    if (i < 0 || i >= table.n || !bySearch[table.search[i]]) return "";
    for (const v of table.searchTexts[table.search[i]].split("\n")) if (v.toLowerCase().includes(q)) return v;
    return "";
  };
  return { count, has, where, next, value };
}
