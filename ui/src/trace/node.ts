// One span as the model keeps it (see TraceModel): its tree fields, and where its full record is.
import type { SpanRecord, SpanSummary } from "../lib/types";
import { isLazy, restoreSpan } from "./parse";
import type { TextStore } from "./textStore";

export interface Node {
  id: string;
  parent: string | null;
  name: string;
  start: number;
  end: number;
  status: number;
  cat: number;
  /** What the row shows beside the name (the tool's name, the model, the RPC method...; see spanLabel). */
  label: string;
  /** The attribute values Find span matches besides name and label (see labels.spanLabels). */
  search: string;
  seq: number;
  /** Scratch for tree.buildRowTable: the node's index while a table is built. */
  row: number;
  /** The span's finished record was read (kept below, or, for a skeleton, fetched when shown). */
  finished: boolean;
  /** The finished record, when it is not kept as text (`store`) or once it was opened. */
  full: SpanRecord | null;
  /** Where the finished record's text is (see parse.LazySpan); `ref` -1 when there is none. */
  store: TextStore | null;
  ref: number;
  cut: boolean;
  traceId: string;
  kind: string | undefined;
  started: SpanRecord | SpanSummary | null;
}

/** A node with no record, text or details yet (the fields every new node starts with). */
export function newNode(
  fields: Pick<Node, "id" | "parent" | "name" | "start" | "end" | "status" | "cat" | "label" | "seq" | "started">,
): Node {
  const f = fields; // copied field by field: every node gets the same shape, in Node's order
  return {
    id: f.id,
    parent: f.parent,
    name: f.name,
    start: f.start,
    end: f.end,
    status: f.status,
    cat: f.cat,
    label: f.label,
    search: "",
    seq: f.seq,
    row: -1,
    finished: false,
    full: null,
    store: null,
    ref: -1,
    cut: false,
    traceId: "",
    kind: undefined,
    started: f.started,
  };
}

/** Keep a finished record as the node's: its text when it is lazy (never the record, which pins its chunk). */
export function setFull(node: Node, r: SpanRecord): void {
  node.finished = true;
  if (isLazy(r)) {
    node.full = null;
    node.store = r.store;
    node.ref = r.ref;
    node.cut = r.cut;
    node.traceId = r.trace_id;
    node.kind = r.kind;
    // a cut text is completed from the node's fields: when they differ from the line's, open it now
    if (r.cut && (node.name !== r.name || node.parent !== (r.parent_span_id ?? null) || node.id !== r.span_id)) {
      node.full = restoreSpan(r.store, r.ref, r.cut, r);
      node.store = null;
      node.ref = -1;
    }
  } else {
    node.full = r;
    node.store = null;
    node.ref = -1;
  }
}

export function hasFull(node: Node): boolean {
  return node.finished;
}

