// The spans by id turned into the row table: children in start order, tree pre-order, subtree sizes.
import type { Node } from "./node";
import type { RowTable } from "./table";

/** The row table of these nodes (a parent missing from them makes a root; a parent cycle is broken). */
export function buildRowTable(nodes: ReadonlyMap<string, Node>): RowTable {
  const count = nodes.size;
  const arr: Node[] = new Array<Node>(count);
  let k = 0;
  for (const node of nodes.values()) {
    arr[k] = node;
    node.row = k++; // the node's place in `arr`, for its children's lookups (no second map of a million ids)
  }
  // parent index per node (-1 = root), then children in CSR form, in insertion order (= start order for files)
  const par = new Int32Array(count);
  const kidCount = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const p = arr[i].parent;
    const pi = p !== null && p !== arr[i].id ? (nodes.get(p)?.row ?? -1) : -1;
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
    search: new Int32Array(count),
    searchTexts: [""],
    t0: Number.POSITIVE_INFINITY,
    t1: Number.NEGATIVE_INFINITY,
  };
  const labelIndex = new Map<string, number>([["", 0]]);
  const searchIndex = new Map<string, number>([["", 0]]);
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
      let si = searchIndex.get(node.search);
      if (si === undefined) {
        si = t.searchTexts.push(node.search) - 1;
        searchIndex.set(node.search, si);
      }
      t.search[i] = si;
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
