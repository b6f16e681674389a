// JSONL parsing of trace files (SPEC §4), chunk by chunk: a line split across chunks is carried over, and a
// partial last line of a live file (the writer has not flushed it yet) is reported, never an error.
import type { SpanRecord, TraceRecord } from "../lib/types";
import { TextStore } from "./textStore";

/**
 * A finished span whose head (the fields before "attributes": ids, name, times, status) is parsed and whose
 * attribute text is not: `raw` is its line, `attrStart` where its attributes start. A category and labels are read
 * from that text (see categories.categorizeText, labels.spanLabels). Never keep the record itself: `raw` is a
 * slice that pins the whole decoded chunk.
 */
export interface TextSpan extends SpanRecord {
  raw: string;
  attrStart: number;
}

/**
 * A TextSpan whose line is kept in a TextStore (`ref`, the whole-file path) and parsed when the span is opened;
 * when `cut`, the store holds it from "start_time" on only, and the fields before (type, trace_id, span_id,
 * parent_span_id, name, kind) are rebuilt from the record's own.
 */
export interface LazySpan extends TextSpan {
  store: TextStore;
  ref: number;
  cut: boolean;
}

/** One copy per distinct short string (trace ids, names, kinds repeat), never a slice of the decoded chunk. */
const internMap = new Map<string, string>();

let lastTraceId = "";

/** intern() for trace ids, which repeat line after line: a comparison instead of a hash lookup. */
function internTraceId(s: string): string {
  if (s !== lastTraceId) lastTraceId = intern(s);
  return lastTraceId;
}

export function intern(s: string): string {
  const known = internMap.get(s);
  if (known !== undefined) return known;
  const own = copyString(s);
  if (internMap.size < 20000) internMap.set(own, own);
  return own;
}

/** A flat copy of a string (a slice keeps its parent, the whole decoded chunk, alive). */
export function copyString(s: string): string {
  if (s.length < 13) return s; // V8 copies short slices anyway
  try {
    const v: unknown = JSON.parse(`"${s}"`);
    if (v === s) return v;
  } catch {
    // not a plain JSON string body: fall through
  }
  return JSON.parse(JSON.stringify(s)) as string;
}

export const SPAN_PREFIX = '{"type":"span",';
export const START_PREFIX = '{"type":"span_start",';

/**
 * Reads the fixed-shape head of a line written by our exporter, key by key, without JSON.parse. Only for text
 * with no backslash (the callers check): every string then ends at the next quote.
 */
class HeadCursor {
  i: number;
  constructor(
    readonly line: string,
    start: number,
  ) {
    this.i = start;
  }

  /** `"name":` (with its quotes and colon) at the cursor: step over it. */
  key(needle: string): boolean {
    if (!this.line.startsWith(needle, this.i)) return false;
    this.i += needle.length;
    return true;
  }

  /** A string (or, when `nullable`, null) at the cursor; undefined when there is none. */
  str(nullable: boolean): string | null | undefined {
    const line = this.line;
    if (nullable && line.startsWith("null", this.i)) {
      this.i += 4;
      return null;
    }
    if (line.charCodeAt(this.i) !== 34 /* " */) return undefined;
    const end = line.indexOf('"', this.i + 1);
    if (end < 0) return undefined;
    const v = line.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }

  /** `c` (a character code) at the cursor: step over it. */
  char(c: number): boolean {
    return this.line.charCodeAt(this.i++) === c;
  }
}

const COMMA = 44;
/** The keys of a span line's head as our exporter writes them, in order (spanLine.ts reads the same). */
export const K_TRACE_ID = '"trace_id":';
export const K_SPAN_ID = '"span_id":';
export const K_PARENT = '"parent_span_id":';
export const K_NAME = '"name":';
export const K_KIND = '"kind":';
export const K_START = '"start_time":';
export const K_END = '"end_time":';
export const K_STATUS = '"status":{';
export const K_CODE = '"code":';
export const K_MESSAGE = '"message":';

/** trace_id, span_id, parent_span_id, name and [kind] of a head (the cursor after `{"type":"...",`). */
function headIds(c: HeadCursor): Omit<SpanRecord, "type" | "start_time"> | null {
  if (!c.key(K_TRACE_ID)) return null;
  const traceId = c.str(false);
  if (traceId == null || !c.char(COMMA) || !c.key(K_SPAN_ID)) return null;
  const spanId = c.str(false);
  if (spanId == null || !c.char(COMMA) || !c.key(K_PARENT)) return null;
  const parent = c.str(true);
  if (parent === undefined || !c.char(COMMA) || !c.key(K_NAME)) return null;
  const name = c.str(false);
  if (name == null || !c.char(COMMA)) return null;
  const ids: Omit<SpanRecord, "type" | "start_time"> = {
    trace_id: internTraceId(traceId),
    span_id: spanId,
    parent_span_id: parent,
    name: intern(name),
  };
  if (c.key(K_KIND)) {
    const kind = c.str(false);
    if (kind == null || !c.char(COMMA)) return null;
    ids.kind = intern(kind);
  }
  return ids;
}

/**
 * span_start lines are half the lines of a trace and have a fixed shape: read them without JSON.parse when they
 * are exactly `{"type":"span_start","trace_id":"…","span_id":"…","parent_span_id":null|"…","name":"…",
 * ["kind":"…",]"start_time":"…"` with no escapes; anything else goes through JSON.parse. trace_id, name and kind
 * are interned; the ids and the time stay slices of the line, which pin the whole decoded chunk: whoever keeps
 * them copies them (see TraceModel).
 */
export function fastSpanStart(line: string): SpanRecord | null {
  if (line.indexOf("\\") >= 0) return null;
  const c = new HeadCursor(line, START_PREFIX.length);
  const ids = headIds(c);
  if (ids === null || !c.key(K_START)) return null;
  const start = c.str(false);
  if (start == null || line.charCodeAt(c.i) !== 125 /* } */ || c.i !== line.length - 1) return null;
  return { type: "span_start", ...ids, start_time: start };
}

/**
 * The head of a span line (everything before `,"attributes":`, at `attrs`) read the same way when it is exactly
 * `{"type":"span",<ids as in span_start>,"start_time":"…","end_time":"…","status":{"code":"…","message":null|"…"}`
 * with no backslash: the shape our exporter writes (SpanLine); anything else goes through JSON.parse.
 */
function fastSpanHead(line: string, attrs: number): TextSpan | null {
  if (line.lastIndexOf("\\", attrs) >= 0) return null; // the head only (a backward search from `attrs`)
  const c = new HeadCursor(line, SPAN_PREFIX.length);
  const ids = headIds(c);
  if (ids === null || !c.key(K_START)) return null;
  const start = c.str(false);
  if (start == null || !c.char(COMMA) || !c.key(K_END)) return null;
  const end = c.str(false);
  if (end == null || !c.char(COMMA) || !c.key(K_STATUS) || !c.key(K_CODE)) return null;
  const code = c.str(false);
  if (code == null || !c.char(COMMA) || !c.key(K_MESSAGE)) return null;
  const message = c.str(true);
  if (message === undefined || !c.char(125 /* } */) || c.i !== attrs) return null;
  return { type: "span", ...ids, start_time: start, end_time: end, status: { code, message } } as TextSpan;
}

export const ATTRS_KEY = ',"attributes":';
const START_KEY = ',"start_time":';
const CUT_KEYS = ["type", "trace_id", "span_id", "parent_span_id", "name", "kind", "start_time"];

/** The head's keys are exactly type, trace_id, span_id, parent_span_id, name, [kind,] start_time… in this order. */
function cuttable(head: Record<string, unknown>): boolean {
  let i = 0;
  for (const k of Object.keys(head)) {
    if (i === 5 && k !== "kind") i = 6;
    if (k !== CUT_KEYS[i]) return false;
    if (i === 6) return true;
    const v = head[k];
    if (typeof v !== "string" && !(i === 3 && v === null)) return false;
    i++;
  }
  return false;
}

function lazySpan(line: string, store: TextStore): LazySpan | null {
  const idx = line.indexOf(ATTRS_KEY);
  if (idx < 0) return null;
  try {
    const fast = fastSpanHead(line, idx) as LazySpan | null;
    const head = fast ?? (JSON.parse(`${line.slice(0, idx)}}`) as LazySpan);
    if (typeof head.span_id !== "string") return null;
    head.raw = line;
    head.attrStart = idx + ATTRS_KEY.length;
    // a `,"start_time":` in the text is the key itself: inside a JSON string every quote is escaped
    const cut = line.indexOf(START_KEY);
    head.cut = cut > 0 && cut < idx && cuttable(head as unknown as Record<string, unknown>);
    head.ref = store.add(head.cut ? line.slice(cut + 1) : line);
    head.store = store;
    if (fast === null) {
      if (typeof head.trace_id === "string") head.trace_id = internTraceId(head.trace_id);
      if (typeof head.name === "string") head.name = intern(head.name);
      if (typeof head.kind === "string") head.kind = intern(head.kind);
    }
    return head;
  } catch {
    return null;
  }
}

/** A span line written by our exporter, its head read without JSON.parse and its attributes left as text; null
 *  for any other line (see TextSpan). */
export function textSpan(line: string): TextSpan | null {
  if (!line.startsWith(SPAN_PREFIX)) return null;
  const idx = line.indexOf(ATTRS_KEY);
  if (idx < 0) return null;
  const head = fastSpanHead(line, idx);
  if (head === null) return null;
  head.raw = line;
  head.attrStart = idx + ATTRS_KEY.length;
  return head;
}

export function hasText(r: SpanRecord): r is TextSpan {
  return typeof (r as Partial<TextSpan>).raw === "string";
}

export function isLazy(r: SpanRecord): r is LazySpan {
  return typeof (r as Partial<LazySpan>).ref === "number" && (r as Partial<LazySpan>).store instanceof TextStore;
}

/** The fields of a span line that a cut text does not hold. */
export interface SpanHead {
  trace_id: string;
  span_id: string;
  parent_span_id?: string | null;
  name: string;
  kind?: string;
}

/** The complete record of a span kept in a store (`cut`: its text starts at "start_time", see LazySpan). */
export function restoreSpan(store: TextStore, ref: number, cut: boolean, head: SpanHead): SpanRecord | null {
  try {
    const text = store.get(ref);
    if (!cut) return JSON.parse(text) as SpanRecord;
    const rest = JSON.parse(`{${text}`) as Partial<SpanRecord>;
    const r: SpanRecord = {
      type: "span",
      trace_id: head.trace_id,
      span_id: head.span_id,
      parent_span_id: head.parent_span_id ?? null,
      name: head.name,
      ...(head.kind !== undefined ? { kind: head.kind } : {}),
      start_time: "",
    };
    return Object.assign(r, rest);
  } catch {
    return null;
  }
}

/** The complete record of a lazily parsed span (or the record itself). */
export function materialize(r: SpanRecord): SpanRecord {
  if (!isLazy(r)) return r;
  const full = restoreSpan(r.store, r.ref, r.cut, r);
  if (full) return full;
  const { raw: _raw, attrStart: _start, store: _store, ref: _ref, cut: _cut, ...rest } = r;
  return rest;
}

export interface ParseResult {
  records: TraceRecord[];
  /** Text after the last newline: the start of a line that the next chunk completes. */
  carry: string;
  badLines: number;
}

/** `complete`: the line ended with a newline (only then may its tail stay unparsed). */
function parseLine(line: string, out: TraceRecord[], store: TextStore, complete = true): boolean {
  if (line.charCodeAt(0) !== 123 /* { */) {
    if (!line.trim()) return true;
  } else if (complete && line.startsWith(SPAN_PREFIX)) {
    const lazy = lazySpan(line, store);
    if (lazy) {
      out.push(lazy);
      return true;
    }
  } else if (line.startsWith(START_PREFIX)) {
    const start = fastSpanStart(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
    if (start) {
      out.push(start);
      return true;
    }
  }
  try {
    const value: unknown = JSON.parse(line);
    if (value && typeof value === "object" && typeof (value as { type?: unknown }).type === "string") {
      out.push(value as TraceRecord);
      return true;
    }
  } catch {
    // counted below
  }
  return false;
}

/** Each complete line of `carry + chunk`, in order; returns the unterminated rest (the next carry). */
export function eachLine(chunk: string, carry: string, onLine: (line: string) => void): string {
  let start = 0;
  if (carry) {
    // only the carried line is joined: `carry + chunk` would copy the whole chunk once more
    const nl = chunk.indexOf("\n");
    if (nl < 0) return carry + chunk;
    onLine(carry + chunk.slice(0, nl));
    start = nl + 1;
  }
  for (;;) {
    const nl = chunk.indexOf("\n", start);
    if (nl < 0) break;
    onLine(chunk.slice(start, nl));
    start = nl + 1;
  }
  return chunk.slice(start);
}

/** Parse `carry + chunk`; complete lines become records, the unterminated rest is returned as the new carry. */
export function parseChunk(chunk: string, carry = "", store: TextStore = new TextStore()): ParseResult {
  const records: TraceRecord[] = [];
  let badLines = 0;
  const rest = eachLine(chunk, carry, (line) => {
    if (!parseLine(line, records, store)) badLines++;
  });
  store.seal();
  return { records, carry: rest, badLines };
}

export interface FinishResult {
  records: TraceRecord[];
  /** True when the text ended inside a line that is not valid JSON yet (a live file mid-write). */
  partialTail: boolean;
}

/** End of input: the carried text is a record if it parses, otherwise an incomplete last line. */
export function finishParse(carry: string, store: TextStore = new TextStore()): FinishResult {
  const records: TraceRecord[] = [];
  if (!carry.trim()) return { records, partialTail: false };
  const ok = parseLine(carry, records, store, false);
  return { records, partialTail: !ok };
}

/** Parse a whole text (convenience for tests and small files). */
export function parseText(text: string): { records: TraceRecord[]; badLines: number; partialTail: boolean } {
  const store = new TextStore();
  const a = parseChunk(text, "", store);
  const b = finishParse(a.carry, store);
  return { records: [...a.records, ...b.records], badLines: a.badLines, partialTail: b.partialTail };
}
