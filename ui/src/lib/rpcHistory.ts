// The protocol history of a session: every JSON-RPC message in and out, in order, with timing, from the RPC
// spans of its trace (each span is one request and its response, or one notification).
import { CATEGORIES } from "../trace/categories";
import type { RowTable } from "../trace/table";
import { parseTime } from "./time";
import type { Attributes, SpanRecord } from "./types";

const RPC = CATEGORIES.indexOf("rpc");

export interface RpcMessage {
  /** "request" | "response" | "notification" | "error" */
  kind: string;
  /** "out": this process sent it; "in": it received it */
  dir: "out" | "in";
  method: string;
  id: string | null;
  server: string | null;
  at: number;
  /** request -> response time, on the response */
  durationMs: number | null;
  spanId: string;
  body: unknown;
}

function parse(v: unknown): unknown {
  if (typeof v !== "string") return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : typeof v === "number" ? String(v) : null);

/** The messages of one RPC span (none when it is not one). */
export function messagesOf(span: SpanRecord): RpcMessage[] {
  const a: Attributes = span.attributes ?? {};
  const method = str(a["mcp.rpc.method"]) ?? str(a["mcp.method.name"]);
  if (!method) return [];
  const outbound = a["mcp.rpc.direction"] !== "inbound";
  const request = parse(a["mcp.rpc.request_json"]);
  const response = parse(a["mcp.rpc.response_json"]);
  const id = str(a["mcp.rpc.id"]) ?? str(a["jsonrpc.request.id"]) ?? str((request as { id?: unknown } | null)?.id);
  const server = str(a["mcp.rpc.server_name"]);
  const start = parseTime(span.start_time);
  const end = parseTime(span.end_time ?? undefined);
  const notification = id === null && method.startsWith("notifications/");
  const base = { method, id, server, spanId: span.span_id };
  const out: RpcMessage[] = [
    { ...base, kind: notification ? "notification" : "request", dir: outbound ? "out" : "in", at: start, durationMs: null, body: request },
  ];
  if (!notification && (response !== null || Number.isFinite(end))) {
    const code = typeof span.status === "string" ? span.status : span.status?.code;
    const failed = !!(response && typeof response === "object" && "error" in (response as object)) || code === "ERROR";
    out.push({
      ...base,
      kind: failed ? "error" : "response",
      dir: outbound ? "in" : "out",
      at: Number.isFinite(end) ? end : start,
      durationMs: Number.isFinite(end) ? end - start : null,
      body: response,
    });
  }
  return out;
}

/** Every message of the spans, in time order (a request before its response at equal times). */
export function rpcHistory(spans: SpanRecord[]): RpcMessage[] {
  const all = spans.flatMap(messagesOf);
  const rank = (m: RpcMessage): number => (m.kind === "request" || m.kind === "notification" ? 0 : 1);
  return all.sort((x, y) => x.at - y.at || rank(x) - rank(y));
}

/** The rows of a table's RPC spans, by start time (the order their requests go in the history). */
export function rpcRows(t: RowTable): number[] {
  const rows: number[] = [];
  for (let i = 0; i < t.n; i++) if (t.cat[i] === RPC) rows.push(i);
  return rows.sort((x, y) => t.start[x] - t.start[y] || x - y);
}

/**
 * The history of the first RPC spans by start time (`spans`), complete up to `cutoff`, the start of the first RPC
 * span not loaded (Infinity once all are): a response after it may follow requests not loaded yet, so it waits
 * for the next page. A huge trace's history is read a page of spans at a time, in order.
 */
export function historyUpTo(spans: SpanRecord[], cutoff: number): RpcMessage[] {
  const all = rpcHistory(spans);
  return cutoff === Number.POSITIVE_INFINITY ? all : all.filter((m) => m.at < cutoff);
}
