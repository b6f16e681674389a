// Messages between the page and the trace worker.
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary } from "../lib/types";
import type { RowTable } from "./table";

export type ToWorker =
  | { type: "load"; url: string; token: string | null }
  | { type: "refresh" }
  /** the page's token changed (a fresh link was pasted after a 401): the next reads send it */
  | { type: "token"; token: string | null }
  | { type: "live"; started: SpanSummary[]; ended: SpanSummary[] }
  | { type: "detail"; id: string; req: number };

/** A RowTable as sent: it holds no string per row (see table.ts), so it crosses as it is. */
export type WireTable = RowTable;

/** The buffers of a table's columns (transferred with it, not copied). */
export function wireTransfer(w: WireTable): ArrayBuffer[] {
  const columns = [w.idStart, w.nameIndex, w.depth, w.parent, w.size, w.start, w.end, w.status, w.cat, w.label, w.search];
  return columns.map((a) => a.buffer as ArrayBuffer);
}

export interface TableMessage {
  type: "table";
  table: WireTable;
  header: SessionHeader | null;
  end: SessionEnd | null;
  badLines: number;
  partialTail: boolean;
  done: boolean;
  loadMs: number;
  /** Bytes the worker has received for this trace so far (skeleton and whole-file reads; spans' records apart). */
  bytesIn: number;
}

export type FromWorker =
  | TableMessage
  | { type: "progress"; spans: number; bytes: number }
  | { type: "unchanged" }
  | { type: "error"; status: number; message: string }
  | { type: "detail"; req: number; id: string; full: SpanRecord | null; started: SpanRecord | SpanSummary | null };
