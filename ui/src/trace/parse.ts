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
