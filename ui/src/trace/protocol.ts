// Messages between the page and the trace worker.
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary } from "../lib/types";
import type { RowTable } from "./table";

export type ToWorker =
  | { type: "load"; url: string; token: string | null }
  | { type: "refresh" }
  | { type: "live"; started: SpanSummary[]; ended: SpanSummary[] }
  | { type: "detail"; id: string; req: number };

export interface TableMessage {
  type: "table";
  table: RowTable;
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
