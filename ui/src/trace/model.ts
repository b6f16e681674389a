// The trace model kept in the worker: spans by id (finished, running from span_start, or known only from the
// SSE summaries), turned into a compact pre-order row table for the tree and the waterfall (see tree.ts).
import { parseTime } from "../lib/time";
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary, TraceRecord } from "../lib/types";
import { categorize, spanCategory } from "./categories";
import { spanLabels } from "./labels";
import { hasFull, newNode, setFull, type Node } from "./node";
import { copyString, restoreSpan } from "./parse";
import { STATUS_RUNNING, statusCode, type RowTable } from "./table";
import { TextStore } from "./textStore";
import { buildRowTable } from "./tree";

function setLabels(node: Node, r: SpanRecord): void {
  const l = spanLabels(node.name, r);
  node.label = l.label;
  node.search = l.search;
}

export class TraceModel {
  header: SessionHeader | null = null;
  end: SessionEnd | null = null;
  badLines = 0;
  partialTail = false;
  /** The text of the finished spans (see parse.LazySpan). */
  readonly store = new TextStore();
  /**
   * `keepRecords` false: a finished span's record is not kept (a skeleton's records lack the long attribute values,
   * events and links; the worker fetches the full record when the span is shown, see spanFetcher.ts).
   */
  constructor(private readonly keepRecords = true) {}
  private nodes = new Map<string, Node>();
  private unowned: Node[] = [];
  private owned = new WeakSet<object>();
  private seq = 0;

  get spanCount(): number {
    return this.nodes.size;
  }

  addRecords(records: TraceRecord[]): void {
    for (const r of records) this.addRecord(r);
  }

  addRecord(r: TraceRecord): void {
    switch (r.type) {
      case "session":
        this.header = r;
        return;
      case "session_end":
        this.end = r;
        return;
      case "span":
      case "span_start":
        if (typeof r.span_id !== "string") return;
        this.addSpan(r);
        return;
      default:
        return;
    }
  }

  private addSpan(r: SpanRecord): void {
    const existing = this.nodes.get(r.span_id);
    const finished = r.type === "span";
    if (existing) {
      if (hasFull(existing) && !finished) return; // a late span_start never undoes an end
      if (r.name && r.name !== existing.name) existing.name = r.name;
      const p = r.parent_span_id ?? null;
      if (p !== null && p !== existing.parent) existing.parent = this.ownId(p);
      const started = existing.started;
      if (!started || started.start_time !== r.start_time) existing.start = parseTime(r.start_time);
      if (finished) {
        existing.started = null; // the full record replaces the start record (less to keep and to scan)
        this.finish(existing, r);
        existing.end = parseTime(r.end_time);
        existing.status = statusCode(r.status);
      } else this.setStarted(existing, r);
      existing.cat = spanCategory(existing.name, r);
      if (finished) setLabels(existing, r);
      return;
    }
    const p = r.parent_span_id ?? null;
    const node = newNode({
      id: copyString(r.span_id),
      parent: p === null ? null : this.ownId(p),
      name: r.name ?? "(unnamed)",
      start: parseTime(r.start_time),
      end: finished ? parseTime(r.end_time) : Number.NaN,
      status: finished ? statusCode(r.status) : STATUS_RUNNING,
      cat: spanCategory(r.name ?? "", r),
      label: "",
      seq: this.seq++,
      started: null,
    });
    if (finished) {
      this.finish(node, r);
      setLabels(node, r);
    } else this.setStarted(node, r);
    this.nodes.set(node.id, node);
  }

  private finish(node: Node, r: SpanRecord): void {
    if (this.keepRecords) setFull(node, r);
    else node.finished = true;
  }

  /** An id to keep: the node's own string when the span is known (one string per id), else a copy. */
  private ownId(id: string): string {
    return this.nodes.get(id)?.id ?? copyString(id);
  }

  /**
   * A span_start record is kept as it was parsed (its strings may be slices of the decoded text) until the span
   * ends; the few still running when a table is built get their own copy, so they do not pin that text.
   */
  private setStarted(node: Node, r: SpanRecord): void {
    node.started = r;
    this.unowned.push(node);
  }

  private ownStarted(): void {
    for (const node of this.unowned) {
      const r = node.started;
      if (r && !this.owned.has(r)) {
        const copy = JSON.parse(JSON.stringify(r)) as SpanRecord;
        this.owned.add(copy);
        node.started = copy;
      }
    }
    this.unowned = [];
  }

  /** A SpanStarted / SpanEnded summary from the SSE stream. */
  addSummary(s: SpanSummary, ended: boolean): void {
    if (!s || typeof s.span_id !== "string") return;
    const existing = this.nodes.get(s.span_id);
    const start = parseTime(s.start_time);
    let end = ended ? parseTime(s.end_time ?? undefined) : Number.NaN;
    if (ended && Number.isNaN(end) && typeof s.duration_ms === "number") end = start + s.duration_ms;
    if (existing) {
      if (hasFull(existing)) return;
      if (ended) {
        existing.end = end;
        existing.status = statusCode(s.status);
      }
      return;
    }
    this.nodes.set(
      s.span_id,
      newNode({
        id: s.span_id,
        parent: s.parent_span_id ?? null,
        name: s.name ?? "(unnamed)",
        start,
        end,
        status: ended ? statusCode(s.status) : STATUS_RUNNING,
        cat: categorize(s.name ?? ""),
        label: "",
        seq: this.seq++,
        started: s,
      }),
    );
  }

  /** What the model holds of a span: `finished` with no `full` when its record is not kept (keepRecords). */
  detail(id: string): { finished: boolean; full: SpanRecord | null; started: SpanRecord | SpanSummary | null } | null {
    const n = this.nodes.get(id);
    if (!n) return null;
    if (!n.full && n.store) {
      const head = { trace_id: n.traceId, span_id: n.id, parent_span_id: n.parent, name: n.name, kind: n.kind };
      n.full = restoreSpan(n.store, n.ref, n.cut, head);
    }
    return { finished: n.finished, full: n.full, started: n.started };
  }

  buildTable(): RowTable {
    this.ownStarted();
    return buildRowTable(this.nodes);
  }
}
