// What the inspector tabs show, derived from a span's attributes.
import { toMessages, type ChatMessage } from "../messages/normalize";
import type { Attributes } from "../lib/types";

export interface JsonAttr {
  key: string;
  raw: string;
  value: unknown;
  valid: boolean;
  truncated: boolean;
}

const ORDER = ["mcp.state.", "mcp.result.", "mcp.workflow.", "mcp.tool.", "mcp.llm.", "mcp.rpc."];

function rank(key: string): number {
  const i = ORDER.findIndex((p) => key.startsWith(p));
  return i < 0 ? ORDER.length : i;
}

export function isTruncated(attrs: Attributes, key: string): boolean {
  return attrs[`${key}_truncated`] === true || attrs[`${key.replace(/_json$/, "")}_truncated`] === true;
}

/** Every `*_json` attribute, parsed when possible, state and results first. */
export function jsonAttributes(attrs: Attributes): JsonAttr[] {
  const out: JsonAttr[] = [];
  for (const [key, v] of Object.entries(attrs)) {
    if (!key.endsWith("_json")) continue;
    const raw = typeof v === "string" ? v : JSON.stringify(v);
    let value: unknown = raw;
    let valid = true;
    if (typeof v === "string") {
      try {
        value = JSON.parse(v);
      } catch {
        valid = false;
      }
    } else value = v;
    out.push({ key, raw, value, valid, truncated: isTruncated(attrs, key) });
  }
  return out.sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

export interface ContextView {
  kind: "llm" | "tool" | "none";
  prompt: ChatMessage[];
  response: ChatMessage[];
  truncated: boolean;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

function parse(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "string" && v.trim() && Number.isFinite(Number(v)) ? Number(v) : null);

export function contextView(attrs: Attributes): ContextView {
  const base = {
    model: (attrs["mcp.llm.model"] ?? attrs["gen_ai.request.model"] ?? null) as string | null,
    inputTokens: num(attrs["gen_ai.usage.input_tokens"] ?? attrs["llm.token_count.prompt"]),
    outputTokens: num(attrs["gen_ai.usage.output_tokens"] ?? attrs["llm.token_count.completion"]),
  };
  if ("mcp.llm.prompt_json" in attrs || "mcp.llm.response_json" in attrs) {
    return {
      ...base,
      kind: "llm",
      prompt: toMessages(parse(attrs["mcp.llm.prompt_json"]), "user"),
      response: toMessages(parse(attrs["mcp.llm.response_json"]), "assistant"),
      truncated: isTruncated(attrs, "mcp.llm.prompt_json") || isTruncated(attrs, "mcp.llm.response_json"),
    };
  }
  const tool = attrs["mcp.tool.name"] ?? attrs["gen_ai.tool.name"];
  if (typeof tool === "string") {
    const output = parse(attrs["mcp.tool.output_json"]);
    const isError = !!output && typeof output === "object" && (output as { isError?: unknown }).isError === true;
    const content = output && typeof output === "object" && "content" in output ? (output as { content: unknown }).content : output;
    return {
      ...base,
      kind: "tool",
      prompt: [
        {
          role: "assistant",
          parts: [{ kind: "tool_call", id: (attrs["gen_ai.tool.call.id"] as string | undefined) ?? null, name: tool, args: parse(attrs["mcp.tool.input_json"]) ?? {} }],
        },
      ],
      response:
        "mcp.tool.output_json" in attrs
          ? [{ role: "tool", parts: [{ kind: "tool_result", id: null, isError, parts: toMessages(content, "assistant").flatMap((m) => m.parts) }] }]
          : [],
      truncated: isTruncated(attrs, "mcp.tool.input_json") || isTruncated(attrs, "mcp.tool.output_json"),
    };
  }
  return { ...base, kind: "none", prompt: [], response: [], truncated: false };
}
