// The trace model kept in the worker: every span's tree fields as typed-array columns by slot (spanColumns.ts; ids
// to slots in spanIds.ts, no object or id string per span), whether read from parsed records, straight from a
// skeleton line (spanLine.ts) or from the SSE summaries; turned into a compact pre-order row table (tree.ts).
import { parseTime } from "../lib/time";
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary, TraceRecord } from "../lib/types";
import { categorize, categorizeText, spanCategory } from "./categories";
import { spanLabels, textLabels, type SpanLabels } from "./labels";
import { isLazy, restoreSpan } from "./parse";
import type { WireTable } from "./protocol";
import { NO_SLOT, SpanColumns, TextIndex } from "./spanColumns";
import { SpanIds } from "./spanIds";
import { readSpanLine, readStartLine } from "./spanLine";
import { STATUS_RUNNING, statusCode, type RowTable } from "./table";
import { TextStore } from "./textStore";
import { buildWireTable } from "./tree";

/** Where a finished record is when the model keeps records (the whole-file read): its text in the store, or itself. */
interface KeptRecord {
  full: SpanRecord | null;
  store: TextStore | null;
  ref: number;
  cut: boolean;
  traceId: string;
  kind: string | undefined;
}

/** A finished span's head read straight from a skeleton line (spanLine.ts), its attributes left as text. */
export interface LineSpan {
  /** the span's slot and its parent's (NO_SLOT: none) */
  slot: number;
  parent: number;
  name: string;
  start: number;
  end: number;
  status: number;
  line: string;
  /** where the attributes' JSON text starts in `line` */
  attrStart: number;
}

/** The record of a span_start line read in place (null if, against its shape, it is no JSON). */
function startRecord(line: string): SpanRecord | null {
  try {
    return JSON.parse(line) as SpanRecord;
  } catch {
    return null;
  }
}

const scratch: LineSpan = { slot: 0, parent: NO_SLOT, name: "", start: 0, end: 0, status: 0, line: "", attrStart: 0 };

export class TraceModel {
  header: SessionHeader | null = null;
  end: SessionEnd | null = null;
  badLines = 0;
  partialTail = false;
  /** The text of the finished spans (see parse.LazySpan). */
  readonly store = new TextStore();
  readonly ids = new SpanIds();
  private readonly cols = new SpanColumns();
  private readonly names = new TextIndex("(unnamed)");
  private readonly labels = new TextIndex("");
  private readonly searches = new TextIndex("");
  /** The records of spans still running (span_start, or an SSE summary; a skeleton's span_start line as its text
   *  until it is shown), by slot. */
  private readonly started = new Map<number, SpanRecord | SpanSummary | string>();
  /** Started records that may be slices of a decoded chunk: copied before a table is built (see ownStarted). */
  private unowned: number[] = [];
  private readonly kept = new Map<number, KeptRecord>();

  /**
   * `keepRecords` false: a finished span's record is not kept (a skeleton's records lack the long attribute values,
   * events and links; the worker fetches the full record when the span is shown, see spanFetcher.ts).
   */
  constructor(private readonly keepRecords = true) {}

  get spanCount(): number {
    return this.cols.known;
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

  /**
   * A skeleton line read straight into the columns when it is a finished span of the shape our exporter writes
   * (spanLine.ts); false for any other line (read it as a record then). Never for a model that keeps records.
   */
  addSpanLine(line: string): boolean {
    if (this.keepRecords) return false;
    if (readSpanLine(line, this.ids, scratch)) this.addLineSpan(scratch);
    else if (readStartLine(line, this.ids, scratch)) this.addLineStart(scratch);
    else return false;
    scratch.line = ""; // the line pins its decoded chunk
    return true;
  }

  /** A started span read from a skeleton line: its line is its start record (parsed when it is shown). */
  private addLineStart(s: LineSpan): void {
    const c = this.cols;
    const slot = s.slot;
    if (c.isKnown(slot)) {
      if (c.finished[slot]) return; // a late span_start never undoes an end
      if (s.name) c.name[slot] = this.names.of(s.name);
      if (s.parent !== NO_SLOT) c.parent[slot] = s.parent;
    } else {
      c.markKnown(slot);
      c.parent[slot] = s.parent;
      c.name[slot] = this.names.of(s.name);
      c.label[slot] = 0;
      c.search[slot] = 0;
      c.end[slot] = Number.NaN;
      c.status[slot] = STATUS_RUNNING;
    }
    c.start[slot] = s.start;
    c.cat[slot] = categorize(this.names.texts[c.name[slot]]); // a start record has no attributes
    this.started.set(slot, s.line);
    this.unowned.push(slot);
  }

  /** A finished span read from a skeleton line (see LineSpan). */
  addLineSpan(s: LineSpan): void {
    const c = this.cols;
    const slot = s.slot;
    if (c.isKnown(slot)) {
      if (s.name) c.name[slot] = this.names.of(s.name);
      if (s.parent !== NO_SLOT) c.parent[slot] = s.parent;
      this.started.delete(slot);
    } else {
      c.markKnown(slot);
      c.parent[slot] = s.parent;
      c.name[slot] = this.names.of(s.name);
    }
    c.start[slot] = s.start;
    c.end[slot] = s.end;
    c.status[slot] = s.status;
    c.finished[slot] = 1;
    const name = this.names.texts[c.name[slot]]; // not the line's slice: it would pin the chunk in per-name caches
    c.cat[slot] = categorizeText(name, s.line, s.attrStart);
    this.setLabels(slot, textLabels(name, s.line, s.attrStart));
  }

  private setLabels(slot: number, l: SpanLabels): void {
    this.cols.label[slot] = this.labels.of(l.label);
    this.cols.search[slot] = this.searches.of(l.search);
  }

  private addSpan(r: SpanRecord): void {
    const c = this.cols;
    const slot = this.ids.slotOf(r.span_id, true);
    const finished = r.type === "span";
    const p = r.parent_span_id ?? null;
    if (c.isKnown(slot)) {
      if (c.finished[slot] && !finished) return; // a late span_start never undoes an end
      if (r.name) c.name[slot] = this.names.of(r.name);
      if (p !== null) c.parent[slot] = this.ids.slotOf(p, true);
    } else {
      c.markKnown(slot);
      c.parent[slot] = p === null ? NO_SLOT : this.ids.slotOf(p, true);
      c.name[slot] = this.names.of(r.name ?? "(unnamed)");
      c.label[slot] = 0;
      c.search[slot] = 0;
      c.end[slot] = Number.NaN;
      c.status[slot] = STATUS_RUNNING;
    }
    const name = this.names.texts[c.name[slot]];
    c.start[slot] = parseTime(r.start_time);
    c.cat[slot] = spanCategory(name, r);
    if (finished) {
      this.started.delete(slot); // the full record replaces the start record (less to keep and to scan)
      c.finished[slot] = 1;
      c.end[slot] = parseTime(r.end_time);
      c.status[slot] = statusCode(r.status);
      if (this.keepRecords) this.keep(slot, r);
      this.setLabels(slot, spanLabels(name, r));
    } else {
      this.started.set(slot, r);
      this.unowned.push(slot);
    }
  }

  /** Keep a finished record: its text when it is lazy (never the record, which pins its chunk). */
  private keep(slot: number, r: SpanRecord): void {
    if (!isLazy(r)) {
      this.kept.set(slot, { full: r, store: null, ref: -1, cut: false, traceId: "", kind: undefined });
      return;
    }
    const k: KeptRecord = { full: null, store: r.store, ref: r.ref, cut: r.cut, traceId: r.trace_id, kind: r.kind };
    // a cut text is completed from the span's fields: when they differ from the line's, open it now
    if (r.cut) {
      const head = this.head(slot, k);
      if (head.name !== r.name || head.parent_span_id !== (r.parent_span_id ?? null) || head.span_id !== r.span_id) {
        k.full = restoreSpan(r.store, r.ref, r.cut, r);
        k.store = null;
      }
    }
    this.kept.set(slot, k);
  }

  private head(slot: number, k: KeptRecord): { trace_id: string; span_id: string; parent_span_id: string | null; name: string; kind?: string } {
    const p = this.cols.parent[slot];
    return {
      trace_id: k.traceId,
      span_id: this.ids.idText(slot),
      parent_span_id: p === NO_SLOT ? null : this.ids.idText(p),
      name: this.names.texts[this.cols.name[slot]],
      kind: k.kind,
    };
  }

  /** Started records get their own copy (the few still running when a table is built), so they pin no text. */
  private ownStarted(): void {
    for (const slot of this.unowned) {
      const r = this.started.get(slot);
      if (r === undefined) continue;
      const own = typeof r === "string" ? startRecord(r) : (JSON.parse(JSON.stringify(r)) as SpanRecord);
      if (own) this.started.set(slot, own);
      else this.started.delete(slot);
    }
    this.unowned = [];
  }

  /** A SpanStarted / SpanEnded summary from the SSE stream. */
  addSummary(s: SpanSummary, ended: boolean): void {
    if (!s || typeof s.span_id !== "string") return;
    const c = this.cols;
    const slot = this.ids.slotOf(s.span_id, true);
    const start = parseTime(s.start_time);
    let end = ended ? parseTime(s.end_time ?? undefined) : Number.NaN;
    if (ended && Number.isNaN(end) && typeof s.duration_ms === "number") end = start + s.duration_ms;
    if (c.isKnown(slot)) {
      if (c.finished[slot]) return;
      if (ended) {
        c.end[slot] = end;
        c.status[slot] = statusCode(s.status);
      }
      return;
    }
    c.markKnown(slot);
    c.parent[slot] = s.parent_span_id ? this.ids.slotOf(s.parent_span_id, true) : NO_SLOT;
    c.name[slot] = this.names.of(s.name ?? "(unnamed)");
    c.start[slot] = start;
    c.end[slot] = end;
    c.status[slot] = ended ? statusCode(s.status) : STATUS_RUNNING;
    c.cat[slot] = categorize(s.name ?? "");
    c.label[slot] = 0;
    c.search[slot] = 0;
    this.started.set(slot, s);
  }

  /** What the model holds of a span: `finished` with no `full` when its record is not kept (keepRecords). */
  detail(id: string): { finished: boolean; full: SpanRecord | null; started: SpanRecord | SpanSummary | null } | null {
    const slot = this.ids.slotOf(id, false);
    if (!this.cols.isKnown(slot)) return null;
    const k = this.kept.get(slot);
    if (k && !k.full && k.store) k.full = restoreSpan(k.store, k.ref, k.cut, this.head(slot, k));
    const started = this.started.get(slot) ?? null;
    return { finished: this.cols.finished[slot] === 1, full: k?.full ?? null, started: typeof started === "string" ? startRecord(started) : started };
  }

  /** The row table as the worker sends it (see protocol.WireTable). */
  buildWire(): WireTable {
    this.ownStarted();
    return buildWireTable(this.cols, this.ids, {
      names: this.names.texts,
      labels: this.labels.texts,
      searches: this.searches.texts,
    });
  }

  /** The same (the table crosses to the page as it is). */
  buildTable(): RowTable {
    return this.buildWire();
  }
}
