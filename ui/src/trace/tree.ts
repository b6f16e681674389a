// The spans' columns turned into the row table as sent: children in start order, tree pre-order, subtree sizes.
import type { WireTable } from "./protocol";
import { NO_SLOT, type SpanColumns } from "./spanColumns";
import type { SpanIds } from "./spanIds";

/** The distinct texts the columns number (names, labels, search texts). */
export interface ColumnTexts {
  names: string[];
  labels: string[];
  searches: string[];
}

/**
 * A run started with mcp-agent's `run_async` on Temporal has two roots in its session: the caller's `workflow.run`
 * span and the workers' `temporal.workflow` span (their ids come from different processes, and the workers' trace
 * is computed from the workflow and run ids). When the session has exactly one `workflow.run` root, its
 * `temporal.workflow` roots are shown under it: one tree for one run. `par` is each span's parent (-1: a root).
 */
export function adoptTemporalRuns(par: Int32Array, nameOf: (i: number) => string): void {
  let run = -1;
  let temporal = false;
  for (let i = 0; i < par.length; i++) {
    if (par[i] !== -1) continue;
    const name = nameOf(i);
    if (name === "workflow.run") {
      if (run !== -1) return; // more than one: which run a workflow span belongs to is not known here
      run = i;
    } else if (name.startsWith("temporal.workflow ")) temporal = true;
  }
  if (run === -1 || !temporal) return;
  for (let i = 0; i < par.length; i++) if (par[i] === -1 && nameOf(i).startsWith("temporal.workflow ")) par[i] = run;
}

/** The row table of the known spans (a parent not known makes a root; a parent cycle is broken). */
export function buildWireTable(cols: SpanColumns, ids: SpanIds, texts: ColumnTexts): WireTable {
  const count = cols.known;
  const order = cols.order; // spans by seq: the order they became known in (= start order for files)
  const seqOf = cols.seqOf;
  const start = cols.start;
  // parent seq per span (-1 = root), then children in CSR form, in seq order
  const par = new Int32Array(count);
  const kidCount = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const slot = order[i];
    const p = cols.parent[slot];
    par[i] = p !== NO_SLOT && p !== slot && cols.isKnown(p) ? seqOf[p] : -1;
  }
  adoptTemporalRuns(par, (i) => texts.names[cols.name[order[i]]] ?? "");
  for (let i = 0; i < count; i++) kidCount[par[i] + 1]++;
  const offset = new Int32Array(count + 2);
  for (let i = 0; i <= count; i++) offset[i + 1] = offset[i] + kidCount[i];
  const fill = offset.slice(0, count + 1);
  const kids = new Int32Array(count);
  for (let i = 0; i < count; i++) kids[fill[par[i] + 1]++] = i;
  // sort each sibling list by start time only when it is not already in order
  const startOf = (i: number): number => start[order[i]];
  for (let g = 0; g <= count; g++) {
    const a = offset[g];
    const b = offset[g + 1];
    let sorted = true;
    for (let j = a + 1; j < b; j++) {
      if (startOf(kids[j]) < startOf(kids[j - 1])) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      const slice = Array.from(kids.subarray(a, b)).sort((x, y) => startOf(x) - startOf(y) || x - y);
      kids.set(slice, a);
    }
  }

  const rowSlot = new Int32Array(count);
  const t: WireTable = {
    n: 0,
    idText: "",
    idStart: new Int32Array(0),
    nameIndex: new Int32Array(count),
    nameTexts: texts.names.slice(),
    depth: new Int32Array(count),
    parent: new Int32Array(count),
    size: new Int32Array(count),
    start: new Float64Array(count),
    end: new Float64Array(count),
    status: new Uint8Array(count),
    cat: new Uint8Array(count),
    label: new Int32Array(count),
    labelTexts: texts.labels.slice(),
    search: new Int32Array(count),
    searchTexts: texts.searches.slice(),
    t0: Number.POSITIVE_INFINITY,
    t1: Number.NEGATIVE_INFINITY,
  };
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
      if (visited[ni]) continue;
      visited[ni] = 1;
      const depth = stackDepth[sp];
      const slot = order[ni];
      const i = t.n++;
      rowSlot[i] = slot;
      t.nameIndex[i] = cols.name[slot];
      t.depth[i] = depth;
      t.parent[i] = stackParent[sp];
      t.size[i] = 1;
      const s = start[slot];
      const e = cols.end[slot];
      t.start[i] = s;
      t.end[i] = e;
      t.status[i] = cols.status[slot];
      t.cat[i] = cols.cat[slot];
      t.label[i] = cols.label[slot];
      t.search[i] = cols.search[slot];
      if (s < t.t0) t.t0 = s;
      const last = Number.isNaN(e) ? s : e;
      if (last > t.t1) t.t1 = last;
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
  Object.assign(t, ids.idColumn(rowSlot, t.n));
  return t;
}
