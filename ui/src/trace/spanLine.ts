// A span's line as our exporter writes it read in place: ids to slots, times to numbers, straight from the line,
// with no record, slice or object per line but the name. A finished span (SpanLine: `{"type":"span","trace_id":"…",
// "span_id":"<16 hex>","parent_span_id":null|"<16 hex>","name":"…",["kind":"…",]"start_time":"…","end_time":"…",
// "status":{"code":"…","message":null|"…"},"attributes":…`, no escape in the name) or a started one (span_start:
// the same head to start_time, then the end, or a skeleton's `"loc"`). Any other shape is left to the record path
// (skeleton.skeletonRecord).
import { parseTime } from "../lib/time";
import type { LineSpan } from "./model";
import * as parse from "./parse";
import { NO_SLOT } from "./spanColumns";
import type { SpanIds } from "./spanIds";
import { STATUS_ERROR, STATUS_OK, STATUS_RUNNING, STATUS_UNSET, statusCode } from "./table";

const QUOTE = 34;
// parse.ts's keys with the comma before them and, for a string value, its opening quote
const SPAN_HEAD = `${parse.SPAN_PREFIX}${parse.K_TRACE_ID}"`;
const START_HEAD = `${parse.START_PREFIX}${parse.K_TRACE_ID}"`;
const K_LOC = ',"loc":[';
const K_SPAN_ID = `,${parse.K_SPAN_ID}"`;
const K_PARENT = `,${parse.K_PARENT}`;
const K_NAME = `,${parse.K_NAME}"`;
const K_KIND = `,${parse.K_KIND}"`;
const K_START = `,${parse.K_START}"`;
const K_END = `,${parse.K_END}"`;
const K_CODE = `,${parse.K_STATUS}${parse.K_CODE}"`;
const K_MESSAGE = `,${parse.K_MESSAGE}`;
const ATTRS_KEY = parse.ATTRS_KEY;

let hourPrefix = "";
let hourMs = 0;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * The time `s[from, to)` ("YYYY-MM-DDTHH:MM:SS[.ffffff]Z") as lib/time.parseTime gives it, without a slice: the same
 * checks and arithmetic in the same order (one Date.UTC per distinct hour); anything else through parseTime itself.
 */
export function timeAt(s: string, from: number, to: number): number {
  const n = to - from;
  if (n < 20 || s.charCodeAt(to - 1) !== 90 /* Z */ || s.charCodeAt(from + 10) !== 84 /* T */) return parseTime(s.slice(from, to));
  if (s.charCodeAt(from + 13) !== 58 /* : */ || s.charCodeAt(from + 16) !== 58) return parseTime(s.slice(from, to));
  if (!hourPrefix || !has(s, from, hourPrefix)) {
    const hour = Date.UTC(Number(s.slice(from, from + 4)), two(s, from + 5) - 1, two(s, from + 8), two(s, from + 11));
    if (Number.isNaN(hour)) return parseTime(s.slice(from, to));
    hourPrefix = parse.copyString(s.slice(from, from + 13));
    hourMs = hour;
  }
  let ms = hourMs + two(s, from + 14) * 60000 + two(s, from + 17) * 1000;
  if (n > 20 && s.charCodeAt(from + 19) === 46 /* . */) {
    let scale = 100;
    for (let i = from + 20; i < to - 1; i++) {
      const d = digit(s, i);
      if (d < 0 || d > 9) return parseTime(s.slice(from, to));
      ms += d * scale;
      scale /= 10;
    }
  } else if (n !== 20) return parseTime(s.slice(from, to));
  return ms;
}

/**
 * `key` at `s[i]`: a loop of charCodeAt, which V8 inlines, where startsWith(key, i) on a sliced line is a call
 * costing several times more (a finished span's line is checked at ten places).
 */
function has(s: string, i: number, key: string): boolean {
  if (i + key.length > s.length) return false;
  for (let k = 0; k < key.length; k++) if (s.charCodeAt(i + k) !== key.charCodeAt(k)) return false;
  return true;
}

function statusAt(s: string, from: number, to: number): number {
  const n = to - from;
  if (n === 2 && has(s, from, "OK")) return STATUS_OK;
  if (n === 5 && has(s, from, "ERROR")) return STATUS_ERROR;
  if (n === 5 && has(s, from, "UNSET")) return STATUS_UNSET;
  return statusCode({ code: s.slice(from, to), message: null });
}

/**
 * The end of the string whose text starts at `s[i]` (the index after its closing quote); -1 when there is none or
 * when a backslash comes right before that quote (an escaped quote, or an escape at its end: the record path then).
 */
function afterString(s: string, i: number): number {
  const end = s.indexOf('"', i);
  return end < 0 || s.charCodeAt(end - 1) === 92 /* \ */ ? -1 : end + 1;
}

/**
 * The head both line kinds start with, from `prefix` (`{"type":"…","trace_id":"`) through start_time, into `out`
 * (slot, parent, name, start); the index after start_time's value, or -1 when the line is not of that shape.
 */
function readHead(line: string, prefix: string, ids: SpanIds, out: LineSpan): number {
  if (!has(line, 0, prefix)) return -1;
  let i = afterString(line, prefix.length);
  if (i < 0 || !has(line, i, K_SPAN_ID)) return -1;
  i += K_SPAN_ID.length;
  if (line.charCodeAt(i + 16) !== QUOTE) return -1;
  const slot = ids.slotAt(line, i, true);
  if (slot < 0) return -1;
  i += 17;
  if (!has(line, i, K_PARENT)) return -1;
  i += K_PARENT.length;
  let parent = NO_SLOT;
  if (has(line, i, "null")) i += 4;
  else {
    if (line.charCodeAt(i) !== QUOTE || line.charCodeAt(i + 17) !== QUOTE) return -1;
    parent = ids.slotAt(line, i + 1, true);
    if (parent < 0) return -1;
    i += 18;
  }
  if (!has(line, i, K_NAME)) return -1;
  const nameAt = i + K_NAME.length;
  i = afterString(line, nameAt);
  if (i < 0) return -1;
  const name = line.slice(nameAt, i - 1);
  if (name.indexOf("\\") >= 0) return -1; // an escape in the name: JSON.parse reads it
  if (has(line, i, K_KIND)) {
    i = afterString(line, i + K_KIND.length);
    if (i < 0) return -1;
  }
  if (!has(line, i, K_START)) return -1;
  const startAt = i + K_START.length;
  i = afterString(line, startAt);
  if (i < 0) return -1;
  out.slot = slot;
  out.parent = parent;
  out.name = name;
  out.start = timeAt(line, startAt, i - 1);
  return i;
}

/** Read a finished span's `line` into `out` (see the module's comment); false when it is not such a line. */
export function readSpanLine(line: string, ids: SpanIds, out: LineSpan): boolean {
  let i = readHead(line, SPAN_HEAD, ids, out);
  if (i < 0 || !has(line, i, K_END)) return false;
  const endAt = i + K_END.length;
  i = afterString(line, endAt);
  if (i < 0 || !has(line, i, K_CODE)) return false;
  const end = timeAt(line, endAt, i - 1);
  const codeAt = i + K_CODE.length;
  i = afterString(line, codeAt);
  if (i < 0 || !has(line, i, K_MESSAGE)) return false;
  const status = statusAt(line, codeAt, i - 1);
  i += K_MESSAGE.length;
  if (has(line, i, "null")) i += 4;
  else if (line.charCodeAt(i) === QUOTE) i = afterString(line, i + 1);
  else return false;
  if (i < 0 || line.charCodeAt(i) !== 125 /* } */ || !has(line, i + 1, ATTRS_KEY)) return false;
  out.end = end;
  out.status = status;
  out.line = line;
  out.attrStart = i + 1 + ATTRS_KEY.length;
  return true;
}

/** The index after the digits at `s[i]` (one at least), or -1. */
function afterDigits(s: string, i: number): number {
  const from = i;
  for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i));
  return i > from ? i : -1;
}

/** The index after `,"loc":[<digits>,<digits>]` at `line[i]`, or -1. */
function afterLoc(line: string, i: number): number {
  if (!has(line, i, K_LOC)) return -1;
  i = afterDigits(line, i + K_LOC.length);
  if (i < 0 || line.charCodeAt(i) !== 44 /* , */) return -1;
  i = afterDigits(line, i + 1);
  return i < 0 || line.charCodeAt(i) !== 93 /* ] */ ? -1 : i + 1;
}

/**
 * Read a started span's `line` (`{"type":"span_start",<the head as above>}`, in a skeleton with `,"loc":[n,a]`
 * before the brace) into `out`: end NaN, status running, no attributes (attrStart -1); false for any other line.
 */
export function readStartLine(line: string, ids: SpanIds, out: LineSpan): boolean {
  let i = readHead(line, START_HEAD, ids, out);
  if (i < 0) return false;
  if (line.charCodeAt(i) !== 125 /* } */) i = afterLoc(line, i);
  if (i < 0 || line.charCodeAt(i) !== 125 || i !== line.length - 1) return false;
  out.end = Number.NaN;
  out.status = STATUS_RUNNING;
  out.line = line;
  out.attrStart = -1;
  return true;
}
