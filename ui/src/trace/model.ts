// The trace model kept in the worker: spans by id (finished, running from span_start, or known only from the
// SSE summaries), turned into a compact pre-order row table for the tree and the waterfall.
import { parseTime } from "../lib/time";
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary, TraceRecord } from "../lib/types";

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;
export const STATUS_RUNNING = 3;

export const CATEGORIES = ["other", "workflow", "agent", "llm", "tool", "rpc", "resource"] as const;
export type Category = (typeof CATEGORIES)[number];

interface Node {
  id: string;
  parent: string | null;
  name: string;
  start: number;
  end: number;
  status: number;
  cat: number;
  seq: number;
  full: SpanRecord | null;
  started: SpanRecord | SpanSummary | null;
}

/** Columnar rows in tree pre-order; cheap to transfer from the worker. */
export interface RowTable {
  n: number;
  ids: string[];
  names: string[];
  depth: Int32Array;
  parent: Int32Array;
  size: Int32Array;
  start: Float64Array;
  end: Float64Array;
  status: Uint8Array;
  cat: Uint8Array;
  t0: number;
  t1: number;
}

export function statusCode(status: SpanRecord["status"] | SpanSummary["status"]): number {
  const code = typeof status === "string" ? status : status?.code;
  if (!code) return STATUS_UNSET;
  const c = code.toUpperCase();
  if (c === "ERROR" || c === "STATUS_CODE_ERROR" || c === "2") return STATUS_ERROR;
  if (c === "OK" || c === "STATUS_CODE_OK" || c === "1") return STATUS_OK;
  return STATUS_UNSET;
}

export function categorize(name: string, attrs?: Record<string, unknown>): number {
  if (attrs) {
    if ("mcp.llm.prompt_json" in attrs || "mcp.llm.model" in attrs || "gen_ai.request.model" in attrs) return 3;
    if ("mcp.tool.name" in attrs || "gen_ai.tool.name" in attrs) return 4;
    if ("mcp.workflow.type" in attrs) return 1;
    if ("mcp.resource.uri" in attrs) return 6;
    if ("mcp.rpc.method" in attrs) return 5;
    if ("mcp.agent.name" in attrs) return 2;
  }
  const n = name.toLowerCase();
  if (n.includes("generate") || n.includes("llm")) return 3;
  if (n.includes("tool")) return 4;
  if (n.includes("workflow") || n.endsWith(".run") || n.includes("run_async")) return 1;
  if (n.includes("resource")) return 6;
  if (n.includes("send_request") || n.includes("rpc") || n.includes("/")) return 5;
  if (n.startsWith("agent")) return 2;
  return 0;
}

export class TraceModel {
  header: SessionHeader | null = null;
  end: SessionEnd | null = null;
  badLines = 0;
  partialTail = false;
  private nodes = new Map<string, Node>();
  private seq = 0;

  get spanCount(): number {
    return this.nodes.size;
  }

  addRecords(records: TraceRecord[]): void {
    for (const r of records) this.addRecord(r);
  }

  addRecord(r: TraceRecord): void {
    switch (r.type) {
      case "session":
        this.header = r;
        return;
      case "session_end":
        this.end = r;
        return;
      case "span":
      case "span_start":
        if (typeof r.span_id !== "string") return;
        this.addSpan(r);
        return;
      default:
        return;
    }
  }

  private addSpan(r: SpanRecord): void {
    const existing = this.nodes.get(r.span_id);
    const finished = r.type === "span";
    if (existing) {
      if (existing.full && !finished) return; // a late span_start never undoes an end
      existing.name = r.name ?? existing.name;
      existing.parent = r.parent_span_id ?? existing.parent;
      existing.start = parseTime(r.start_time);
      if (finished) {
        existing.full = r;
        existing.end = parseTime(r.end_time);
        existing.status = statusCode(r.status);
      } else existing.started = r;
      existing.cat = categorize(existing.name, r.attributes);
      return;
    }
    this.nodes.set(r.span_id, {
      id: r.span_id,
      parent: r.parent_span_id ?? null,
      name: r.name ?? "(unnamed)",
      start: parseTime(r.start_time),
      end: finished ? parseTime(r.end_time) : Number.NaN,
      status: finished ? statusCode(r.status) : STATUS_RUNNING,
      cat: categorize(r.name ?? "", r.attributes),
      seq: this.seq++,
      full: finished ? r : null,
      started: finished ? null : r,
    });
  }

  /** A SpanStarted / SpanEnded summary from the SSE stream. */
  addSummary(s: SpanSummary, ended: boolean): void {
    if (!s || typeof s.span_id !== "string") return;
    const existing = this.nodes.get(s.span_id);
    const start = parseTime(s.start_time);
    let end = ended ? parseTime(s.end_time ?? undefined) : Number.NaN;
    if (ended && Number.isNaN(end) && typeof s.duration_ms === "number") end = start + s.duration_ms;
    if (existing) {
      if (existing.full) return;
      if (ended) {
        existing.end = end;
        existing.status = statusCode(s.status);
      }
      return;
    }
    this.nodes.set(s.span_id, {
      id: s.span_id,
      parent: s.parent_span_id ?? null,
      name: s.name ?? "(unnamed)",
      start,
      end,
      status: ended ? statusCode(s.status) : STATUS_RUNNING,
      cat: categorize(s.name ?? ""),
      seq: this.seq++,
      full: null,
      started: s,
    });
  }

  /** Keep spans known only from SSE summaries when a re-fetched file does not have them yet. */
  adoptMissing(previous: TraceModel): void {
    for (const [id, node] of previous.nodes) if (!this.nodes.has(id)) this.nodes.set(id, { ...node, seq: this.seq++ });
  }

  detail(id: string): { full: SpanRecord | null; started: SpanRecord | SpanSummary | null } | null {
    const n = this.nodes.get(id);
    return n ? { full: n.full, started: n.started } : null;
  }

  buildTable(): RowTable {
    const nodes = this.nodes;
    const count = nodes.size;
    const children = new Map<string, Node[]>();
    const roots: Node[] = [];
    for (const node of nodes.values()) {
      if (node.parent && node.parent !== node.id && nodes.has(node.parent)) {
        let list = children.get(node.parent);
        if (!list) children.set(node.parent, (list = []));
        list.push(node);
      } else roots.push(node);
    }
    const byStart = (a: Node, b: Node): number => a.start - b.start || a.seq - b.seq;
    roots.sort(byStart);
    for (const list of children.values()) if (list.length > 1) list.sort(byStart);

    const t: RowTable = {
      n: 0,
      ids: new Array<string>(count),
      names: new Array<string>(count),
      depth: new Int32Array(count),
      parent: new Int32Array(count),
      size: new Int32Array(count),
      start: new Float64Array(count),
      end: new Float64Array(count),
      status: new Uint8Array(count),
      cat: new Uint8Array(count),
      t0: Number.POSITIVE_INFINITY,
      t1: Number.NEGATIVE_INFINITY,
    };
    const visited = new Set<string>();
    const stack: [Node, number, number][] = [];
    const pushRoots = (list: Node[]): void => {
      for (let i = list.length - 1; i >= 0; i--) stack.push([list[i], 0, -1]);
    };
    const drain = (): void => {
      while (stack.length) {
        const [node, depth, parentIdx] = stack.pop() as [Node, number, number];
        if (visited.has(node.id)) continue;
        visited.add(node.id);
        const i = t.n++;
        t.ids[i] = node.id;
        t.names[i] = node.name;
        t.depth[i] = depth;
        t.parent[i] = parentIdx;
        t.size[i] = 1;
        t.start[i] = node.start;
        t.end[i] = node.end;
        t.status[i] = node.status;
        t.cat[i] = node.cat;
        if (node.start < t.t0) t.t0 = node.start;
        const e = Number.isNaN(node.end) ? node.start : node.end;
        if (e > t.t1) t.t1 = e;
        const kids = children.get(node.id);
        if (kids) for (let k = kids.length - 1; k >= 0; k--) stack.push([kids[k], depth + 1, i]);
      }
    };
    pushRoots(roots);
    drain();
    if (t.n < count) {
      // spans caught in a parent cycle: show them as roots rather than lose them
      pushRoots([...nodes.values()].filter((n) => !visited.has(n.id)).sort(byStart));
      drain();
    }
    for (let i = t.n - 1; i > 0; i--) if (t.parent[i] >= 0) t.size[t.parent[i]] += t.size[i];
    if (!Number.isFinite(t.t0)) {
      t.t0 = 0;
      t.t1 = 0;
    }
    return t;
  }
}

/** Indices of the rows to show, skipping the subtrees of collapsed rows. */
export function visibleRows(table: RowTable, collapsed: ReadonlySet<string>): Int32Array {
  const out = new Int32Array(table.n);
  let k = 0;
  let i = 0;
  const hasCollapsed = collapsed.size > 0;
  while (i < table.n) {
    out[k++] = i;
    i += hasCollapsed && collapsed.has(table.ids[i]) ? table.size[i] : 1;
  }
  return out.subarray(0, k);
}
