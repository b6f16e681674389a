// A finished span's line as our exporter writes it (SpanLine: `{"type":"span","trace_id":"…","span_id":"<16 hex>",
// "parent_span_id":null|"<16 hex>","name":"…",["kind":"…",]"start_time":"…","end_time":"…","status":{"code":"…",
// "message":null|"…"},"attributes":…`, no escape in the name) read in place: ids to slots, times to
// numbers, straight from the line, with no record, slice or object per line but the name. Any other shape is
// left to the record path (skeleton.skeletonRecord).
import { parseTime } from "../lib/time";
import type { LineSpan } from "./model";
import * as parse from "./parse";
import { NO_SLOT } from "./spanColumns";
import type { SpanIds } from "./spanIds";
import { STATUS_ERROR, STATUS_OK, STATUS_UNSET, statusCode } from "./table";

const QUOTE = 34;
// parse.ts's keys with the comma before them and, for a string value, its opening quote
const HEAD_PREFIX = `${parse.SPAN_PREFIX}${parse.K_TRACE_ID}"`;
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

/** Read `line` into `out` (see the module's comment); false when it is not such a line (nothing is kept then). */
export function readSpanLine(line: string, ids: SpanIds, out: LineSpan): boolean {
  if (!has(line, 0, HEAD_PREFIX)) return false;
  let i = afterString(line, HEAD_PREFIX.length);
  if (i < 0 || !has(line, i, K_SPAN_ID)) return false;
  i += K_SPAN_ID.length;
  if (line.charCodeAt(i + 16) !== QUOTE) return false;
  const slot = ids.slotAt(line, i, true);
  if (slot < 0) return false;
  i += 17;
  if (!has(line, i, K_PARENT)) return false;
  i += K_PARENT.length;
  let parent = NO_SLOT;
  if (has(line, i, "null")) i += 4;
  else {
    if (line.charCodeAt(i) !== QUOTE || line.charCodeAt(i + 17) !== QUOTE) return false;
    parent = ids.slotAt(line, i + 1, true);
    if (parent < 0) return false;
    i += 18;
  }
  if (!has(line, i, K_NAME)) return false;
  const nameAt = i + K_NAME.length;
  i = afterString(line, nameAt);
  if (i < 0) return false;
  const name = line.slice(nameAt, i - 1);
  if (name.indexOf("\\") >= 0) return false; // an escape in the name: JSON.parse reads it
  if (has(line, i, K_KIND)) {
    i = afterString(line, i + K_KIND.length);
    if (i < 0) return false;
  }
  if (!has(line, i, K_START)) return false;
  const startAt = i + K_START.length;
  i = afterString(line, startAt);
  if (i < 0 || !has(line, i, K_END)) return false;
  const start = timeAt(line, startAt, i - 1);
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
  out.slot = slot;
  out.parent = parent;
  out.name = name;
  out.start = start;
  out.end = end;
  out.status = status;
  out.line = line;
  out.attrStart = i + 1 + ATTRS_KEY.length;
  return true;
}
