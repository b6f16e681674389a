// The trace model kept in the worker: spans by id (finished, running from span_start, or known only from the
// SSE summaries), turned into a compact pre-order row table for the tree and the waterfall.
import { parseTime } from "../lib/time";
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary, TraceRecord } from "../lib/types";
import { copyString, intern, isLazy, restoreSpan } from "./parse";
import { TextStore } from "./textStore";

export const STATUS_UNSET = 0;
export const STATUS_OK = 1;
export const STATUS_ERROR = 2;
export const STATUS_RUNNING = 3;

export const CATEGORIES = ["other", "workflow", "agent", "llm", "tool", "rpc", "resource", "prompt"] as const;
export type Category = (typeof CATEGORIES)[number];

interface Node {
  id: string;
  parent: string | null;
  name: string;
  start: number;
  end: number;
  status: number;
  cat: number;
  /** What the row shows beside the name (the tool's name, the model, the RPC method...; see spanLabel). */
  label: string;
  seq: number;
  /** The finished record, when it is not kept as text (`store`) or once it was opened. */
  full: SpanRecord | null;
  /** Where the finished record's text is (see parse.LazySpan); `ref` -1 when there is none. */
  store: TextStore | null;
  ref: number;
  cut: boolean;
  traceId: string;
  kind: string | undefined;
  started: SpanRecord | SpanSummary | null;
}

/** A node with no record, text or details yet (the fields every new node starts with). */
function newNode(
  fields: Pick<Node, "id" | "parent" | "name" | "start" | "end" | "status" | "cat" | "label" | "seq" | "started">,
): Node {
  const f = fields; // copied field by field: every node gets the same shape, in Node's order
  return {
    id: f.id,
    parent: f.parent,
    name: f.name,
    start: f.start,
    end: f.end,
    status: f.status,
    cat: f.cat,
    label: f.label,
    seq: f.seq,
    full: null,
    store: null,
    ref: -1,
    cut: false,
    traceId: "",
    kind: undefined,
    started: f.started,
  };
}

/** Keep a finished record as the node's: its text when it is lazy (never the record, which pins its chunk). */
function setFull(node: Node, r: SpanRecord): void {
  if (isLazy(r)) {
    node.full = null;
    node.store = r.store;
    node.ref = r.ref;
    node.cut = r.cut;
    node.traceId = r.trace_id;
    node.kind = r.kind;
    // a cut text is completed from the node's fields: when they differ from the line's, open it now
    if (r.cut && (node.name !== r.name || node.parent !== (r.parent_span_id ?? null) || node.id !== r.span_id)) {
      node.full = restoreSpan(r.store, r.ref, r.cut, r);
      node.store = null;
      node.ref = -1;
    }
  } else {
    node.full = r;
    node.store = null;
    node.ref = -1;
  }
}

function hasFull(node: Node): boolean {
  return node.full !== null || node.store !== null;
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
  /** spanLabel of each row as an index into `labelTexts` (0: none) */
  label: Int32Array;
  /** the distinct labels; `labelTexts[0]` is "" */
  labelTexts: string[];
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
  if (name.startsWith("workflow.") || name.startsWith("session ")) return WORKFLOW;
  if (/\.generate(_str|_structured)?$/.test(name)) return LLM;
  if (name.endsWith(".call_tool")) return TOOL;
  if (name.endsWith(".read_resource")) return RESOURCE;
  if (name.endsWith(".get_prompt")) return PROMPT;
  if (name.endsWith(".send_request") || name.endsWith(".send_notification") || /^[a-z]+\/[a-zA-Z_/]+$/.test(name)) return RPC;
  return 0;
}

function spanCategory(name: string, r: SpanRecord): number {
  return isLazy(r) ? categorizeText(name, r.raw, r.attrStart) : categorize(name, r.attributes);
}

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

export class TraceModel {
  header: SessionHeader | null = null;
  end: SessionEnd | null = null;
  badLines = 0;
  partialTail = false;
  /** The text of the finished spans (see parse.LazySpan). */
  readonly store = new TextStore();
  private nodes = new Map<string, Node>();
  private unowned: Node[] = [];
  private owned = new WeakSet<object>();
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
      if (hasFull(existing) && !finished) return; // a late span_start never undoes an end
      if (r.name && r.name !== existing.name) existing.name = r.name;
      const p = r.parent_span_id ?? null;
      if (p !== null && p !== existing.parent) existing.parent = this.ownId(p);
      const started = existing.started;
      if (!started || started.start_time !== r.start_time) existing.start = parseTime(r.start_time);
      if (finished) {
        existing.started = null; // the full record replaces the start record (less to keep and to scan)
        setFull(existing, r);
        existing.end = parseTime(r.end_time);
        existing.status = statusCode(r.status);
      } else this.setStarted(existing, r);
      existing.cat = spanCategory(existing.name, r);
      if (finished) existing.label = spanLabel(existing.name, r);
      return;
    }
    const p = r.parent_span_id ?? null;
    const node = newNode({
      id: copyString(r.span_id),
      parent: p === null ? null : this.ownId(p),
      name: r.name ?? "(unnamed)",
      start: parseTime(r.start_time),
      end: finished ? parseTime(r.end_time) : Number.NaN,
      status: finished ? statusCode(r.status) : STATUS_RUNNING,
      cat: spanCategory(r.name ?? "", r),
      label: finished ? spanLabel(r.name ?? "", r) : "",
      seq: this.seq++,
      started: null,
    });
    if (finished) setFull(node, r);
    else this.setStarted(node, r);
    this.nodes.set(node.id, node);
  }

  /** An id to keep: the node's own string when the span is known (one string per id), else a copy. */
  private ownId(id: string): string {
    return this.nodes.get(id)?.id ?? copyString(id);
  }

  /**
   * A span_start record is kept as it was parsed (its strings may be slices of the decoded text) until the span
   * ends; the few still running when a table is built get their own copy, so they do not pin that text.
   */
  private setStarted(node: Node, r: SpanRecord): void {
    node.started = r;
    this.unowned.push(node);
  }

  private ownStarted(): void {
    for (const node of this.unowned) {
      const r = node.started;
      if (r && !this.owned.has(r)) {
        const copy = JSON.parse(JSON.stringify(r)) as SpanRecord;
        this.owned.add(copy);
        node.started = copy;
      }
    }
    this.unowned = [];
  }

  /** A SpanStarted / SpanEnded summary from the SSE stream. */
  addSummary(s: SpanSummary, ended: boolean): void {
    if (!s || typeof s.span_id !== "string") return;
    const existing = this.nodes.get(s.span_id);
    const start = parseTime(s.start_time);
    let end = ended ? parseTime(s.end_time ?? undefined) : Number.NaN;
    if (ended && Number.isNaN(end) && typeof s.duration_ms === "number") end = start + s.duration_ms;
    if (existing) {
      if (hasFull(existing)) return;
      if (ended) {
        existing.end = end;
        existing.status = statusCode(s.status);
      }
      return;
    }
    this.nodes.set(
      s.span_id,
      newNode({
        id: s.span_id,
        parent: s.parent_span_id ?? null,
        name: s.name ?? "(unnamed)",
        start,
        end,
        status: ended ? statusCode(s.status) : STATUS_RUNNING,
        cat: categorize(s.name ?? ""),
        label: "",
        seq: this.seq++,
        started: s,
      }),
    );
  }

  detail(id: string): { full: SpanRecord | null; started: SpanRecord | SpanSummary | null } | null {
    const n = this.nodes.get(id);
    if (!n) return null;
    if (!n.full && n.store) {
      const head = { trace_id: n.traceId, span_id: n.id, parent_span_id: n.parent, name: n.name, kind: n.kind };
      n.full = restoreSpan(n.store, n.ref, n.cut, head);
    }
    return { full: n.full, started: n.started };
  }

  buildTable(): RowTable {
    this.ownStarted();
    const count = this.nodes.size;
    const arr: Node[] = new Array<Node>(count);
    const index = new Map<string, number>();
    let k = 0;
    for (const node of this.nodes.values()) {
      arr[k] = node;
      index.set(node.id, k++);
    }
    // parent index per node (-1 = root), then children in CSR form, in insertion order (= start order for files)
    const par = new Int32Array(count);
    const kidCount = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) {
      const p = arr[i].parent;
      const pi = p !== null && p !== arr[i].id ? (index.get(p) ?? -1) : -1;
      par[i] = pi;
      kidCount[pi + 1]++;
    }
    const offset = new Int32Array(count + 2);
    for (let i = 0; i <= count; i++) offset[i + 1] = offset[i] + kidCount[i];
    const fill = offset.slice(0, count + 1);
    const kids = new Int32Array(count);
    for (let i = 0; i < count; i++) kids[fill[par[i] + 1]++] = i;
    // sort each sibling list by start time only when it is not already in order
    for (let g = 0; g <= count; g++) {
      const a = offset[g];
      const b = offset[g + 1];
      let sorted = true;
      for (let j = a + 1; j < b; j++) {
        if (arr[kids[j]].start < arr[kids[j - 1]].start) {
          sorted = false;
          break;
        }
      }
      if (!sorted) {
        const slice = Array.from(kids.subarray(a, b)).sort((x, y) => arr[x].start - arr[y].start || arr[x].seq - arr[y].seq);
        kids.set(slice, a);
      }
    }

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
      label: new Int32Array(count),
      labelTexts: [""],
      t0: Number.POSITIVE_INFINITY,
      t1: Number.NEGATIVE_INFINITY,
    };
    const labelIndex = new Map<string, number>([["", 0]]);
    const visited = new Uint8Array(count);
    const stackNode = new Int32Array(count);
    const stackDepth = new Int32Array(count);
    const stackParent = new Int32Array(count);
    let sp = 0;
    const emitFrom = (group: number, depth: number, parentRow: number): void => {
      for (let j = offset[group + 1] - 1; j >= offset[group]; j--) {
        stackNode[sp] = kids[j];
        stackDepth[sp] = depth;
        stackParent[sp++] = parentRow;
      }
    };
    const drain = (): void => {
      while (sp > 0) {
        sp--;
        const ni = stackNode[sp];
        const depth = stackDepth[sp];
        const parentRow = stackParent[sp];
        if (visited[ni]) continue;
        visited[ni] = 1;
        const node = arr[ni];
        const i = t.n++;
        t.ids[i] = node.id;
        t.names[i] = node.name;
        t.depth[i] = depth;
        t.parent[i] = parentRow;
        t.size[i] = 1;
        t.start[i] = node.start;
        t.end[i] = node.end;
        t.status[i] = node.status;
        t.cat[i] = node.cat;
        let li = labelIndex.get(node.label);
        if (li === undefined) {
          li = t.labelTexts.push(node.label) - 1;
          labelIndex.set(node.label, li);
        }
        t.label[i] = li;
        if (node.start < t.t0) t.t0 = node.start;
        const e = Number.isNaN(node.end) ? node.start : node.end;
        if (e > t.t1) t.t1 = e;
        emitFrom(ni + 1, depth + 1, i);
      }
    };
    emitFrom(0, 0, -1);
    drain();
    if (t.n < count) {
      // spans caught in a parent cycle: show them as roots rather than lose them
      for (let i = 0; i < count; i++) {
        if (visited[i]) continue;
        stackNode[0] = i;
        stackDepth[0] = 0;
        stackParent[0] = -1;
        sp = 1;
        drain();
      }
    }
    for (let i = t.n - 1; i > 0; i--) if (t.parent[i] >= 0) t.size[t.parent[i]] += t.size[i];
    if (!Number.isFinite(t.t0)) {
      t.t0 = 0;
      t.t1 = 0;
    }
    return t;
  }
}

/** The label of row `i` ("" when it has none). */
export function rowLabel(table: RowTable, i: number): string {
  return table.labelTexts[table.label[i]] ?? "";
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
