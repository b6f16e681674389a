// A span's line as our exporter writes it read in place: ids to slots, times to numbers, with no record or object
// per line. A finished span (SpanLine: `{"type":"span","trace_id":"…","span_id":"<16 hex>","parent_span_id":null|
// "<16 hex>","name":"…",["kind":"…",]"start_time":"…","end_time":"…","status":{"code":"…","message":null|"…"},
// "attributes":…`) or a started one (span_start: the same head to start_time, then the end, or a skeleton's
// `"loc":[n,a]`), with no backslash in any of those strings, so each reads as JSON.parse would read it. Both shapes
// are matched by one native regular expression each. Any other line is left to the record path
// (skeleton.skeletonRecord).
import { parseTime } from "../lib/time";
import type { LineSpan } from "./model";
import * as parse from "./parse";
import { NO_SLOT } from "./spanColumns";
import type { SpanIds } from "./spanIds";
import { STATUS_ERROR, STATUS_OK, STATUS_RUNNING, STATUS_UNSET, statusCode } from "./table";

/** A key of parse.ts's head, as a regular expression matches it literally. */
const lit = (key: string): string => key.replace(/[{}[\]()*+?.^$|\\]/g, "\\$&");
const TEXT = '"[^"\\\\]*"'; // a JSON string without escapes
const ID = '"([0-9a-f]{16})"';
/** From `{"type":…,"trace_id":` to start_time's value; captures: span id, parent id, name, start time. */
const HEAD =
  `${lit(parse.K_TRACE_ID)}${TEXT},${lit(parse.K_SPAN_ID)}${ID},${lit(parse.K_PARENT)}(?:null|${ID}),` +
  `${lit(parse.K_NAME)}"([^"\\\\]*)",(?:${lit(parse.K_KIND)}${TEXT},)?${lit(parse.K_START)}"([^"\\\\]*)"`;
/** A finished span's head, to where its attributes start; more captures: end time, status code. */
const SPAN_HEAD = new RegExp(
  `${lit(parse.SPAN_PREFIX)}${HEAD},${lit(parse.K_END)}"([^"\\\\]*)",${lit(parse.K_STATUS)}${lit(parse.K_CODE)}` +
    `"([^"\\\\]*)",${lit(parse.K_MESSAGE)}(?:null|${TEXT})\\}${lit(parse.ATTRS_KEY)}`,
  "y",
);
/** A whole span_start line. */
const START_LINE = new RegExp(`^${lit(parse.START_PREFIX)}${HEAD}(?:,"loc":\\[\\d+,\\d+\\])?\\}$`);

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
  if (!hourPrefix || !s.startsWith(hourPrefix, from)) {
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

function statusOf(code: string): number {
  if (code === "OK") return STATUS_OK;
  if (code === "ERROR") return STATUS_ERROR;
  if (code === "UNSET") return STATUS_UNSET;
  return statusCode({ code, message: null });
}

/** The head's captures into `out` (slot, parent, name, start). */
function head(m: RegExpExecArray, ids: SpanIds, out: LineSpan): void {
  out.slot = ids.slotAt(m[1], 0, true);
  out.parent = m[2] === undefined ? NO_SLOT : ids.slotAt(m[2], 0, true);
  out.name = m[3];
  out.start = timeAt(m[4], 0, m[4].length);
}

/** Read a finished span's `line` into `out` (see the module's comment); false when it is not such a line. */
export function readSpanLine(line: string, ids: SpanIds, out: LineSpan): boolean {
  SPAN_HEAD.lastIndex = 0;
  const m = SPAN_HEAD.exec(line);
  if (m === null) return false;
  head(m, ids, out);
  out.end = timeAt(m[5], 0, m[5].length);
  out.status = statusOf(m[6]);
  out.line = line;
  out.attrStart = SPAN_HEAD.lastIndex;
  return true;
}

/** Read a started span's `line` into `out`: end NaN, status running, no attributes (attrStart -1); false for any
 *  other line. */
export function readStartLine(line: string, ids: SpanIds, out: LineSpan): boolean {
  const m = START_LINE.exec(line);
  if (m === null) return false;
  head(m, ids, out);
  out.end = Number.NaN;
  out.status = STATUS_RUNNING;
  out.line = line;
  out.attrStart = -1;
  return true;
}
