// Two runs side by side: their span trees aligned by position. A span matches the span of the other run with the
// same parent match, name and label (the tool, model or method it shows), and the same rank among such siblings;
// what matches nothing stays on its own side.
import { rowName, type RowTable } from "../trace/table";

export interface AlignedRow {
  depth: number;
  name: string;
  label: string;
  /** row index in each table, -1 when that run has no such span */
  left: number;
  right: number;
}

function children(t: RowTable): number[][] {
  const out: number[][] = Array.from({ length: t.n + 1 }, () => []);
  for (let i = 0; i < t.n; i++) out[t.parent[i] + 1].push(i); // slot 0 holds the roots
  return out;
}

function keyed(t: RowTable, rows: number[]): Map<string, number> {
  const seen = new Map<string, number>();
  const out = new Map<string, number>();
  for (const i of rows) {
    const base = `${rowName(t, i)}\u0000${t.labelTexts[t.label[i]] ?? ""}`;
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    out.set(`${base}\u0000${k}`, i);
  }
  return out;
}

/** The aligned rows of two trees, in the left run's order, the right run's own spans after their matched siblings. */
export function alignTrees(a: RowTable, b: RowTable): AlignedRow[] {
  const ka = children(a);
  const kb = children(b);
  const out: AlignedRow[] = [];
  const walk = (pa: number, pb: number, depth: number): void => {
    const left = pa === -2 ? new Map<string, number>() : keyed(a, ka[pa + 1]);
    const right = pb === -2 ? new Map<string, number>() : keyed(b, kb[pb + 1]);
    // labels that differ between runs (a run id in a workflow's label, say): what is left unmatched pairs by name
    const pairedRight = new Map<string, string>(); // left key -> right key
    const freeRight = [...right.keys()].filter((k) => !left.has(k));
    for (const key of left.keys()) {
      if (right.has(key)) continue;
      const name = key.split("\u0000", 1)[0];
      const at = freeRight.findIndex((k) => k.split("\u0000", 1)[0] === name);
      if (at >= 0) pairedRight.set(key, freeRight.splice(at, 1)[0]);
    }
    const keys = [...left.keys(), ...freeRight];
    for (const key of keys) {
      const l = left.get(key) ?? -1;
      const r = right.get(pairedRight.get(key) ?? key) ?? -1;
      const t = l >= 0 ? a : b;
      const i = l >= 0 ? l : r;
      out.push({ depth, name: rowName(t, i), label: t.labelTexts[t.label[i]] ?? "", left: l, right: r });
      walk(l >= 0 ? l : -2, r >= 0 ? r : -2, depth + 1);
    }
  };
  walk(-1, -1, 0);
  return out;
}

/** Duration of row `i` in ms (NaN while it runs). */
export function durationOf(t: RowTable, i: number): number {
  return i < 0 ? Number.NaN : t.end[i] - t.start[i];
}
