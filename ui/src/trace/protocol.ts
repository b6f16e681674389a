// Messages between the page and the trace worker.
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary } from "../lib/types";
import type { RowTable } from "./table";

export type ToWorker =
  | { type: "load"; url: string; token: string | null }
  | { type: "refresh" }
  | { type: "live"; started: SpanSummary[]; ended: SpanSummary[] }
  | { type: "detail"; id: string; req: number };

/**
 * A RowTable as sent: span names repeat (a few hundred distinct in a million rows), so they travel as an index
 * column into the distinct names, and the page rebuilds `names` from it (references, no new strings).
 */
export interface WireTable extends Omit<RowTable, "names"> {
  nameIndex: Int32Array;
  nameTexts: string[];
}

/** The table to send and the buffers to transfer with it. */
export function toWire(t: RowTable): { wire: WireTable; transfer: ArrayBuffer[] } {
  const { names, ...rest } = t;
  const nameIndex = new Int32Array(t.n);
  const nameTexts: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < t.n; i++) {
    let k = seen.get(names[i]);
    if (k === undefined) {
      k = nameTexts.push(names[i]) - 1;
      seen.set(names[i], k);
    }
    nameIndex[i] = k;
  }
  const wire: WireTable = { ...rest, nameIndex, nameTexts };
  return { wire, transfer: wireTransfer(wire) };
}

/** The buffers of a table's columns (transferred with it, not copied). */
export function wireTransfer(w: WireTable): ArrayBuffer[] {
  const columns = [w.depth, w.parent, w.size, w.start, w.end, w.status, w.cat, w.label, w.search, w.nameIndex];
  return columns.map((a) => a.buffer as ArrayBuffer);
}

export function fromWire(w: WireTable): RowTable {
  const { nameIndex, nameTexts, ...rest } = w;
  const names = new Array<string>(w.n);
  for (let i = 0; i < w.n; i++) names[i] = nameTexts[nameIndex[i]];
  return { ...rest, names };
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
