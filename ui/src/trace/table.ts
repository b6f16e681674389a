// The row table the worker sends the page: spans in tree pre-order as columns (cheap to transfer), with the
// status codes and the helpers the page reads it with.
import type { SpanRecord, SpanSummary } from "../lib/types";

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;
export const STATUS_RUNNING = 3;

/**
 * Columnar rows in tree pre-order; cheap to transfer from the worker: typed arrays, and no string per row (a million
 * strings cost the page hundreds of ms to receive). Read ids and names through rowId / rowName / findRow.
 */
export interface RowTable {
  n: number;
  /** every row's span id, one after another (no separator): row i's is idText.slice(idStart[i], idStart[i + 1]) */
  idText: string;
  /** n + 1 offsets into idText */
  idStart: Int32Array;
  /** the name of each row as an index into `nameTexts` (names repeat: a few hundred distinct in a million rows) */
  nameIndex: Int32Array;
  /** the distinct names */
  nameTexts: string[];
  depth: Int32Array;
  parent: Int32Array;
  size: Int32Array;
  start: Float64Array;
  end: Float64Array;
  status: Uint8Array;
  cat: Uint8Array;
  /** spanLabel of each row as an index into `labelTexts` (0: none) */
  label: Int32Array;
  /** the distinct labels; `labelTexts[0]` is "" */
  labelTexts: string[];
  /** the attribute values Find span matches (labels.spanLabels' search) as an index into `searchTexts` (0: none) */
  search: Int32Array;
  /** the distinct search texts; `searchTexts[0]` is "" */
  searchTexts: string[];
  t0: number;
  t1: number;
}

export function statusCode(status: SpanRecord["status"] | SpanSummary["status"]): number {
  const code = typeof status === "string" ? status : status?.code;
  if (!code) return STATUS_UNSET;
  const c = code.toUpperCase();
  if (c === "ERROR" || c === "STATUS_CODE_ERROR" || c === "2") return STATUS_ERROR;
  if (c === "OK" || c === "STATUS_CODE_OK" || c === "1") return STATUS_OK;
  return STATUS_UNSET;
}

/** The span id of row `i`. */
export function rowId(table: RowTable, i: number): string {
  return table.idText.slice(table.idStart[i], table.idStart[i + 1]);
}

/** The span name of row `i`. */
export function rowName(table: RowTable, i: number): string {
  return table.nameTexts[table.nameIndex[i]];
}

/** The row whose span id is `id`, -1 when none: a native search of idText (no map of a million ids); `hint` is a
 *  row to try first (where the span was in an earlier table). */
export function findRow(table: RowTable, id: string, hint = -1): number {
  const { idText, idStart, n } = table;
  if (!id) return -1;
  if (hint >= 0 && hint < n && idStart[hint + 1] - idStart[hint] === id.length && idText.startsWith(id, idStart[hint])) return hint;
  for (let at = idText.indexOf(id); at >= 0; at = idText.indexOf(id, at + 1)) {
    // a match is a row's id when it starts where a row starts and ends where that row ends
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (idStart[mid] < at) lo = mid + 1;
      else hi = mid - 1;
    }
    if (lo < n && idStart[lo] === at && idStart[lo + 1] === at + id.length) return lo;
  }
  return -1;
}

/** The label of row `i` ("" when it has none). */
export function rowLabel(table: RowTable, i: number): string {
  return table.labelTexts[table.label[i]] ?? "";
}
