// The kind of work a span is (its icon and colour), from its attributes or, failing that, its name.
import type { SpanRecord } from "../lib/types";
import { hasText } from "./parse";

export const CATEGORIES = ["other", "workflow", "agent", "llm", "tool", "rpc", "resource", "prompt"] as const;
export type Category = (typeof CATEGORIES)[number];

const WORKFLOW = 1;
const AGENT = 2;
const LLM = 3;
const TOOL = 4;
const RPC = 5;
const RESOURCE = 6;
const PROMPT = 7;

const BY_NAME: Record<string, number> = {
  "workflow.run": WORKFLOW,
  "agent.call": AGENT,
  "llm.generate": LLM,
  "tool.call": TOOL,
  "resource.fetch": RESOURCE,
  "prompt.apply": PROMPT,
};

const BY_OPENINFERENCE_KIND: Record<string, number> = {
  LLM,
  TOOL,
  AGENT,
  RETRIEVER: RESOURCE,
  PROMPT,
};

const nameCache = new Map<string, number>();

function categorizeByName(name: string): number {
  let cat = nameCache.get(name);
  if (cat === undefined) {
    cat = categorizeName(name);
    if (nameCache.size < 10000) nameCache.set(name, cat);
  }
  return cat;
}

/** The kind of work a span is, for its icon and colour: attributes first, then the span name. */
export function categorize(name: string, attrs?: Record<string, unknown>): number {
  const byName = BY_NAME[name];
  if (byName) return byName;
  if (!attrs) return categorizeByName(name);
  const kind = attrs["openinference.span.kind"];
  return categorizeBy(name, typeof kind === "string" ? kind : undefined, (k) => k in attrs);
}

const KIND_NEEDLE = '"openinference.span.kind":"';
const KEYS_RE =
  /"(mcp\.workflow\.type|mcp\.llm\.prompt_json|mcp\.llm\.model|gen_ai\.request\.model|mcp\.tool\.name|gen_ai\.tool\.name|mcp\.resource\.uri|mcp\.prompt\.template_id|mcp\.rpc\.method|mcp\.agent\.name)":/g;

const textCache = new Map<string, number>();

/**
 * The same, from the unparsed JSON text of the attributes (a lazily parsed span): one scan, no objects. Spans of
 * one name carry the same kind of attributes, so the answer is remembered per name (this runs 100,000 times for
 * a big trace).
 */
export function categorizeText(name: string, raw: string, from: number): number {
  const byName = BY_NAME[name];
  if (byName) return byName;
  const cached = textCache.get(name);
  if (cached !== undefined) return cached;
  const cat = scanCategory(name, raw, from);
  if (textCache.size < 10000) textCache.set(name, cat);
  return cat;
}

function scanCategory(name: string, raw: string, from: number): number {
  let kind: string | undefined;
  const k = raw.indexOf(KIND_NEEDLE, from);
  if (k >= 0) {
    const start = k + KIND_NEEDLE.length;
    kind = raw.slice(start, raw.indexOf('"', start));
  }
  if (kind && BY_OPENINFERENCE_KIND[kind]) return BY_OPENINFERENCE_KIND[kind];
  const found = new Set<string>();
  KEYS_RE.lastIndex = from;
  for (let m = KEYS_RE.exec(raw); m; m = KEYS_RE.exec(raw)) found.add(m[1]);
  return categorizeBy(name, kind, (key) => found.has(key));
}

function categorizeBy(name: string, kind: string | undefined, has: (key: string) => boolean): number {
  if (kind && BY_OPENINFERENCE_KIND[kind]) return BY_OPENINFERENCE_KIND[kind];
  if (has("mcp.workflow.type")) return WORKFLOW;
  if (has("mcp.llm.prompt_json") || has("mcp.llm.model") || has("gen_ai.request.model")) return LLM;
  if (has("mcp.tool.name") || has("gen_ai.tool.name")) return TOOL;
  if (has("mcp.resource.uri")) return RESOURCE;
  if (has("mcp.prompt.template_id")) return PROMPT;
  if (has("mcp.rpc.method")) return RPC;
  if (has("mcp.agent.name")) return AGENT;
  return categorizeByName(name);
}

function categorizeName(name: string): number {
  if (name.startsWith("workflow.") || name.startsWith("session ") || name.startsWith("temporal.workflow ")) return WORKFLOW;
  if (/\.generate(_str|_structured)?$/.test(name)) return LLM;
  if (name.endsWith(".call_tool")) return TOOL;
  if (name.endsWith(".read_resource")) return RESOURCE;
  if (name.endsWith(".get_prompt")) return PROMPT;
  if (name.endsWith(".send_request") || name.endsWith(".send_notification") || /^[a-z]+\/[a-zA-Z_/]+$/.test(name)) return RPC;
  return 0;
}

export function spanCategory(name: string, r: SpanRecord): number {
  return hasText(r) ? categorizeText(name, r.raw, r.attrStart) : categorize(name, r.attributes);
}

