// LLM messages from mcp.llm.prompt_json / mcp.llm.response_json, in whatever shape the provider used
// (MCP, OpenAI, Anthropic, mcp-agent's own), normalized to a chat of roles and typed parts.

export type Part =
  | { kind: "text"; text: string }
  | { kind: "image"; src: string | null; mime: string }
  | { kind: "resource"; uri: string; mime: string | null; text: string | null }
  | { kind: "tool_call"; id: string | null; name: string; args: unknown }
  | { kind: "tool_result"; id: string | null; parts: Part[]; isError: boolean }
  | { kind: "json"; value: unknown };

export interface ChatMessage {
  role: string;
  name?: string;
  parts: Part[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

function imageSrc(o: Obj): { src: string | null; mime: string } {
  const mime = str(o.mimeType) ?? str(o.mime_type) ?? str(o.media_type) ?? "image/png";
  if (typeof o.data === "string") return { src: `data:${mime};base64,${o.data}`, mime };
  const source = isObj(o.source) ? o.source : null;
  if (source && typeof source.data === "string") {
    const m = str(source.media_type) ?? mime;
    return { src: `data:${m};base64,${source.data}`, mime: m };
  }
  if (source && typeof source.url === "string") return { src: source.url, mime };
  const iu = o.image_url;
  if (typeof iu === "string") return { src: iu, mime };
  if (isObj(iu) && typeof iu.url === "string") return { src: iu.url, mime };
  return { src: null, mime };
}

/** One content item (or a whole content value) → parts. */
export function toParts(content: unknown): Part[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return content ? [{ kind: "text", text: content }] : [];
  if (typeof content === "number" || typeof content === "boolean") return [{ kind: "text", text: String(content) }];
  if (Array.isArray(content)) return content.flatMap(toParts);
  if (!isObj(content)) return [{ kind: "json", value: content }];
  const o = content;
  switch (o.type) {
    case "text":
    case "input_text":
    case "output_text":
      return [{ kind: "text", text: str(o.text) ?? str(o.content) ?? "" }];
    case "image":
    case "image_url":
    case "input_image": {
      const { src, mime } = imageSrc(o);
      return [{ kind: "image", src, mime }];
    }
    case "resource":
    case "resource_link":
    case "embedded_resource": {
      const r = isObj(o.resource) ? o.resource : o;
      return [{ kind: "resource", uri: str(r.uri) ?? "", mime: str(r.mimeType) ?? str(r.mime_type), text: str(r.text) }];
    }
    case "tool_use":
    case "function_call":
      return [{ kind: "tool_call", id: str(o.id) ?? str(o.call_id), name: str(o.name) ?? "tool", args: parseMaybeJson(o.input ?? o.arguments) }];
    case "tool_result":
    case "function_call_output":
      return [{ kind: "tool_result", id: str(o.tool_use_id) ?? str(o.call_id), parts: toParts(o.content ?? o.output), isError: o.is_error === true || o.isError === true }];
    default:
      break;
  }
  if ("content" in o && ("isError" in o || "structuredContent" in o)) {
    // an MCP CallToolResult
    return [{ kind: "tool_result", id: null, parts: toParts(o.content), isError: o.isError === true }];
  }
  if (typeof o.text === "string") return [{ kind: "text", text: o.text }];
  return [{ kind: "json", value: o }];
}

function toolCalls(o: Obj): Part[] {
  const calls = Array.isArray(o.tool_calls) ? o.tool_calls : [];
  const out: Part[] = calls.filter(isObj).map((c) => {
    const fn = isObj(c.function) ? c.function : c;
    return { kind: "tool_call" as const, id: str(c.id), name: str(fn.name) ?? "tool", args: parseMaybeJson(fn.arguments ?? fn.input) };
  });
  if (isObj(o.function_call)) {
    out.push({ kind: "tool_call", id: null, name: str(o.function_call.name) ?? "function", args: parseMaybeJson(o.function_call.arguments) });
  }
  return out;
}

function looksLikeMessage(o: Obj): boolean {
  return typeof o.role === "string" || ("content" in o && Object.keys(o).length <= 6 && !("isError" in o));
}

function messageFrom(o: Obj, fallbackRole: string): ChatMessage {
  const role = str(o.role) ?? fallbackRole;
  if (role === "tool" || role === "function") {
    return {
      role: "tool",
      name: str(o.name) ?? undefined,
      parts: [{ kind: "tool_result", id: str(o.tool_call_id), parts: toParts(parseMaybeJson(o.content)), isError: false }],
    };
  }
  const parts = [...toParts(o.content), ...toolCalls(o)];
  return { role, name: str(o.name) ?? undefined, parts };
}

/** Normalize a prompt or response value into chat messages; `fallbackRole` for content without a role. */
export function toMessages(value: unknown, fallbackRole: "user" | "assistant"): ChatMessage[] {
  const v = parseMaybeJson(value);
  if (v === null || v === undefined) return [];
  if (typeof v === "string") return [{ role: fallbackRole, parts: toParts(v) }];
  if (Array.isArray(v)) {
    if (v.every((x) => isObj(x) && looksLikeMessage(x))) return v.map((x) => messageFrom(x as Obj, fallbackRole));
    // a list of content items (one message's parts), or mixed values
    return [{ role: fallbackRole, parts: v.flatMap(toParts) }];
  }
  if (isObj(v)) {
    if (Array.isArray(v.messages)) return toMessages(v.messages, fallbackRole);
    if (Array.isArray(v.choices)) {
      return v.choices.filter(isObj).map((c) => messageFrom(isObj(c.message) ? c.message : c, "assistant"));
    }
    if (typeof v.role === "string" || ("content" in v && !("isError" in v))) {
      if (v.type === "text" && typeof v.content === "string") return [{ role: fallbackRole, parts: [{ kind: "text", text: v.content }] }];
      return [messageFrom(v, fallbackRole)];
    }
    return [{ role: fallbackRole, parts: toParts(v) }];
  }
  return [{ role: fallbackRole, parts: toParts(v) }];
}
