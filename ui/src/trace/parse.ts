// JSONL parsing of trace files (SPEC §4), chunk by chunk: a line split across chunks is carried over, and a
// partial last line of a live file (the writer has not flushed it yet) is reported, never an error.
import type { SpanRecord, TraceRecord } from "../lib/types";

/**
 * A finished span whose attributes, events and links are not parsed yet: the tree needs only the fields before
 * "attributes" (ids, name, times, status), so only that head is parsed; `raw` is parsed when the span is opened.
 * `attrText` finds a category without building the attribute object (see model.categorizeText).
 */
export interface LazySpan extends SpanRecord {
  raw: string;
  attrStart: number;
}

const SPAN_PREFIX = '{"type":"span",';
const START_PREFIX = '{"type":"span_start",';

/**
 * span_start lines are half the lines of a trace and have a fixed shape: read them without JSON.parse when they
 * are exactly `{"type":"span_start","trace_id":"…","span_id":"…","parent_span_id":null|"…","name":"…",
 * ["kind":"…",]"start_time":"…"` with no escapes; anything else goes through JSON.parse.
 */
function fastSpanStart(line: string): SpanRecord | null {
  if (line.indexOf("\\") >= 0) return null;
  let i = START_PREFIX.length;
  const key = (k: string): boolean => {
    const needle = `"${k}":`;
    if (!line.startsWith(needle, i)) return false;
    i += needle.length;
    return true;
  };
  const str = (nullable: boolean): string | null | undefined => {
    if (nullable && line.startsWith("null", i)) {
      i += 4;
      return null;
    }
    if (line.charCodeAt(i) !== 34) return undefined;
    const end = line.indexOf('"', i + 1);
    if (end < 0) return undefined;
    const v = line.slice(i + 1, end);
    i = end + 1;
    return v;
  };
  const comma = (): boolean => line.charCodeAt(i++) === 44;
  if (!key("trace_id")) return null;
  const traceId = str(false);
  if (traceId == null || !comma() || !key("span_id")) return null;
  const spanId = str(false);
  if (spanId == null || !comma() || !key("parent_span_id")) return null;
  const parent = str(true);
  if (parent === undefined || !comma() || !key("name")) return null;
  const name = str(false);
  if (name == null || !comma()) return null;
  let kind: string | undefined;
  if (key("kind")) {
    const k = str(false);
    if (k == null || !comma()) return null;
    kind = k;
  }
  if (!key("start_time")) return null;
  const start = str(false);
  if (start == null || line.charCodeAt(i) !== 125 /* } */ || i !== line.length - 1) return null;
  return { type: "span_start", trace_id: traceId, span_id: spanId, parent_span_id: parent, name, kind, start_time: start };
}
const ATTRS_KEY = ',"attributes":';

function lazySpan(line: string): LazySpan | null {
  const idx = line.indexOf(ATTRS_KEY);
  if (idx < 0) return null;
  try {
    const head = JSON.parse(`${line.slice(0, idx)}}`) as LazySpan;
    if (typeof head.span_id !== "string") return null;
    head.raw = line;
    head.attrStart = idx + ATTRS_KEY.length;
    return head;
  } catch {
    return null;
  }
}

export function isLazy(r: SpanRecord): r is LazySpan {
  return typeof (r as Partial<LazySpan>).raw === "string";
}

/** The complete record of a lazily parsed span (or the record itself). */
export function materialize(r: SpanRecord): SpanRecord {
  if (!isLazy(r)) return r;
  try {
    return JSON.parse(r.raw) as SpanRecord;
  } catch {
    const { raw: _raw, attrStart: _start, ...rest } = r;
    return rest;
  }
}

export interface ParseResult {
  records: TraceRecord[];
  /** Text after the last newline: the start of a line that the next chunk completes. */
  carry: string;
  badLines: number;
}

/** `complete`: the line ended with a newline (only then may its tail stay unparsed). */
function parseLine(line: string, out: TraceRecord[], complete = true): boolean {
  if (line.charCodeAt(0) !== 123 /* { */) {
    if (!line.trim()) return true;
  } else if (complete && line.startsWith(SPAN_PREFIX)) {
    const lazy = lazySpan(line);
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

/** Parse `carry + chunk`; complete lines become records, the unterminated rest is returned as the new carry. */
export function parseChunk(chunk: string, carry = ""): ParseResult {
  const text = carry ? carry + chunk : chunk;
  const records: TraceRecord[] = [];
  let badLines = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) break;
    if (!parseLine(text.slice(start, nl), records)) badLines++;
    start = nl + 1;
  }
  return { records, carry: text.slice(start), badLines };
}

export interface FinishResult {
  records: TraceRecord[];
  /** True when the text ended inside a line that is not valid JSON yet (a live file mid-write). */
  partialTail: boolean;
}

/** End of input: the carried text is a record if it parses, otherwise an incomplete last line. */
export function finishParse(carry: string): FinishResult {
  const records: TraceRecord[] = [];
  if (!carry.trim()) return { records, partialTail: false };
  const ok = parseLine(carry, records, false);
  return { records, partialTail: !ok };
}

/** Parse a whole text (convenience for tests and small files). */
export function parseText(text: string): { records: TraceRecord[]; badLines: number; partialTail: boolean } {
  const a = parseChunk(text);
  const b = finishParse(a.carry);
  return { records: [...a.records, ...b.records], badLines: a.badLines, partialTail: b.partialTail };
}
