// The row table the worker sends the page: spans in tree pre-order as columns (cheap to transfer), with the
// status codes and the helpers the page reads it with.
import type { SpanRecord, SpanSummary } from "../lib/types";

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;
export const STATUS_RUNNING = 3;

/** Columnar rows in tree pre-order; cheap to transfer from the worker. */
export interface RowTable {
  n: number;
  ids: string[];
  names: string[];
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

/** The label of row `i` ("" when it has none). */
export function rowLabel(table: RowTable, i: number): string {
  return table.labelTexts[table.label[i]] ?? "";
}

/** Indices of the rows to show, skipping the subtrees of collapsed rows. */
export function visibleRows(table: RowTable, collapsed: ReadonlySet<string>): Int32Array {
  const out = new Int32Array(table.n);
  let k = 0;
  let i = 0;
  const hasCollapsed = collapsed.size > 0;
  while (i < table.n) {
    out[k++] = i;
    i += hasCollapsed && collapsed.has(table.ids[i]) ? table.size[i] : 1;
  }
  return out.subarray(0, k);
}
