// What the Events list of the span details shows for one span event: its attributes with `*_json` values parsed,
// and for a resume (`session.resumed`) the answer that ended the wait, in a line of its own.
import type { Attributes, SpanEventRecord } from "../lib/types";

export interface EventView {
  name: string;
  time: string;
  /** The attributes, each `x_json` text parsed into `x` (kept as text when it is not valid JSON). */
  attributes: Record<string, unknown>;
  /** For `session.resumed`: the answer in words (a human's `response`, a string, else compact JSON), or null. */
  answer: string | null;
  /** For an elicitation's resume: accept, decline or cancel. */
  action: string | null;
}

const ANSWER_CHARS = 300;

function parsed(attrs: Attributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (key.endsWith("_json") && typeof value === "string") {
      try {
        out[key.slice(0, -"_json".length)] = JSON.parse(value);
        continue;
      } catch {
        // cut or not JSON: shown as the text it is
      }
    }
    out[key] = value;
  }
  return out;
}

function answerText(payload: unknown): string {
  const response = payload && typeof payload === "object" ? (payload as Record<string, unknown>).response : undefined;
  const text = typeof response === "string" ? response : typeof payload === "string" ? payload : JSON.stringify(payload);
  return text.length > ANSWER_CHARS ? `${text.slice(0, ANSWER_CHARS)}…` : text;
}

export function eventView(e: SpanEventRecord): EventView {
  const attributes = parsed(e.attributes ?? {});
  const resumed = e.name === "session.resumed";
  const action = typeof attributes.action === "string" ? attributes.action : null;
  // the payload parsed, or its text when it was cut (not valid JSON any more)
  const payload = "payload" in attributes ? attributes.payload : attributes.payload_json;
  const hasAnswer = resumed && payload !== null && payload !== undefined;
  return {
    name: e.name,
    time: e.timestamp ?? e.time ?? "",
    attributes,
    answer: hasAnswer ? answerText(payload) : null,
    action: resumed ? action : null,
  };
}
