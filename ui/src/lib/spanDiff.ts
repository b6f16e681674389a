// What differs between two aligned spans: prompts, outputs, inputs, tokens, model, status.
import type { Attributes } from "./types";

export const COMPARED_KEYS = [
  "mcp.llm.prompt_json",
  "mcp.llm.response_json",
  "mcp.tool.input_json",
  "mcp.tool.output_json",
  "mcp.resource.content_json",
  "mcp.prompt.parameters_json",
  "mcp.workflow.input_json",
  "mcp.workflow.output_json",
  "gen_ai.request.model",
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.output_tokens",
  "mcp.status.code",
] as const;

export interface AttributeDiff {
  key: string;
  left: unknown;
  right: unknown;
}

/** The compared keys whose values differ (absent on one side counts as different). */
export function diffAttributes(a: Attributes | undefined, b: Attributes | undefined): AttributeDiff[] {
  const left = a ?? {};
  const right = b ?? {};
  const out: AttributeDiff[] = [];
  for (const key of COMPARED_KEYS) {
    if (!(key in left) && !(key in right)) continue;
    if (JSON.stringify(left[key]) !== JSON.stringify(right[key])) out.push({ key, left: left[key], right: right[key] });
  }
  return out;
}

/** Total tokens of a span's attributes (null when it has none). */
export function tokensOf(a: Attributes | undefined): number | null {
  if (!a) return null;
  const i = a["gen_ai.usage.input_tokens"];
  const o = a["gen_ai.usage.output_tokens"];
  if (typeof i !== "number" && typeof o !== "number") return null;
  return (typeof i === "number" ? i : 0) + (typeof o === "number" ? o : 0);
}
