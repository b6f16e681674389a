// What a row shows beside the span's name (the tool's name, the model, the RPC method...).
import type { SpanRecord } from "../lib/types";
import { intern, isLazy } from "./parse";

const LABEL_KEYS: Record<string, string> = {
  "workflow.run": "mcp.workflow.type",
  "agent.call": "mcp.agent.name",
  "llm.generate": "mcp.llm.model",
  "tool.call": "mcp.tool.name",
  "resource.fetch": "mcp.resource.uri",
  "prompt.apply": "mcp.prompt.template_id",
};
const LABEL_MAX = 80;

const RPC_LABEL_KEY = "mcp.rpc.method";
const labelKeys = new Map<string, string | null>();

/** The attribute whose value tells rows of one name apart (our operation spans and mcp-agent's RPC spans). */
export function labelKey(name: string): string | undefined {
  let key = labelKeys.get(name);
  if (key === undefined) {
    key = LABEL_KEYS[name] ?? (name.endsWith(".send_request") || name.endsWith(".send_notification") ? RPC_LABEL_KEY : null);
    if (labelKeys.size < 10000) labelKeys.set(name, key);
  }
  return key ?? undefined;
}

/** `"key":"` of each label key: where its string value starts in a span's attribute text */
const NEEDLES: Record<string, string> = Object.fromEntries(
  [...Object.values(LABEL_KEYS), RPC_LABEL_KEY].map((key) => [key, `"${key}":"`]),
);

function clip(value: string): string {
  return intern(value.length > LABEL_MAX ? `${value.slice(0, LABEL_MAX - 1)}…` : value);
}

/**
 * What a row shows beside the span's name: `tool.call` demo_add, `llm.generate` claude-..., `send_request`
 * tools/list. Read from the unparsed attribute text of a lazily parsed span (one search in its line, only for the
 * few span names that have a label key) or from a parsed record's attributes; "" when there is none. Labels
 * repeat (tool names, models, methods): each distinct one is kept once.
 */
export function spanLabel(name: string, r: SpanRecord): string {
  const key = labelKey(name);
  if (!key) return "";
  if (!isLazy(r)) {
    const value = r.attributes?.[key];
    return typeof value === "string" ? clip(value) : "";
  }
  const needle = NEEDLES[key];
  const at = r.raw.indexOf(needle, r.attrStart);
  if (at < 0) return "";
  const from = at + needle.length;
  let end = from;
  let escaped = false;
  while (end < r.raw.length) {
    const ch = r.raw.charCodeAt(end);
    if (ch === 34 /* " */) break;
    if (ch === 92 /* \ */) {
      escaped = true;
      end++;
    }
    end++;
  }
  const text = r.raw.slice(from, end);
  if (!escaped) return clip(text); // interned: one own copy per distinct label (a slice would pin the line's chunk)
  try {
    return clip(JSON.parse(`"${text}"`) as string);
  } catch {
    return "";
  }
}

