// The skeleton of a trace (trace format v2, docs/huge-traces.md): the trace file's records with each long attribute
// value replaced by {"$cut": <its encoded length>}, events and links by their counts, and a locator the gateway
// reads (`loc`). Parsed into a model that keeps no records: the full record of a span is fetched when it is shown.
import type { TraceRecord } from "../lib/types";
import type { TraceModel } from "./model";
import { START_PREFIX, eachLine, fastSpanStart, intern, textSpan } from "./parse";

/** The key of a cut attribute value (inspector_hooks.tracefile's; tests/contracts compare them). */
export const CUT_KEY = "$cut";
/** A value whose JSON encoding is longer than this many bytes is cut from the skeleton (the same contract). */
export const CUT_LIMIT = 200;

/** An attribute value left out of the skeleton (fetch the span's record for it). */
export function isCut(value: unknown): value is { $cut: number } {
  return typeof value === "object" && value !== null && typeof (value as Record<string, unknown>)[CUT_KEY] === "number";
}

/**
 * One skeleton line as a record, or null when it is not one. The lines our exporter writes are read without
 * JSON.parse: a span's head by its fixed shape and its attributes left as text (parse.TextSpan: the model takes
 * the category and labels from it and keeps neither), a span_start whole; anything else is JSON.parse'd.
 */
export function skeletonRecord(line: string): TraceRecord | null {
  const span = textSpan(line);
  if (span) return span;
  if (line.startsWith(START_PREFIX)) {
    const start = fastSpanStart(line);
    if (start) return start;
  }
  if (!line.trim()) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || typeof (value as { type?: unknown }).type !== "string") return null;
  const r = value as TraceRecord;
  if ((r.type === "span" || r.type === "span_start") && typeof r.name === "string") r.name = intern(r.name);
  return r;
}

/** Parse `carry + text` of one skeleton stream into `model`; returns the new carry (an unfinished line). */
export function addSkeletonText(model: TraceModel, text: string, carry: string): string {
  return eachLine(text, carry, (line) => {
    if (model.addSpanLine(line)) return;
    const r = skeletonRecord(line);
    if (r) model.addRecord(r);
    else if (line.trim()) model.badLines++;
  });
}
