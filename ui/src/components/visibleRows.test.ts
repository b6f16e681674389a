import { describe, expect, it } from "vitest";
import type { RowTable } from "../trace/table";
import { VisibleRows } from "./visibleRows";

// 0 root ─┬─ 1 a ─┬─ 2 a1
//         │       └─ 3 a2
//         └─ 4 b ── 5 b1
// 6 other ── 7 o1
function table(): RowTable {
  const size = Int32Array.from([6, 3, 1, 1, 2, 1, 2, 1]);
  return { n: size.length, size } as unknown as RowTable;
}

function shown(v: VisibleRows): number[] {
  return Array.from({ length: v.count }, (_, pos) => v.rowAt(pos));
}

describe("the rows the tree shows", () => {
  const t = table();
  for (const [folded, rows] of [
    [[], [0, 1, 2, 3, 4, 5, 6, 7]],
    [[1], [0, 1, 4, 5, 6, 7]],
    [[0], [0, 6, 7]],
    [[0, 1, 4], [0, 6, 7]], // folded inside a folded subtree: no matter
    [[1, 4, 6], [0, 1, 4, 6]],
    [[2, 7], [0, 1, 2, 3, 4, 5, 6, 7]], // a leaf folds nothing
  ] as const) {
    it(`folds ${JSON.stringify(folded)}`, () => {
      const v = VisibleRows.of(t, Int32Array.from(folded));
      expect(shown(v)).toEqual(rows);
      for (let row = 0; row < t.n; row++) expect(v.posOf(row)).toBe((rows as readonly number[]).indexOf(row));
    });
  }

  it("has no rows for an empty table", () => {
    const v = VisibleRows.of({ n: 0, size: new Int32Array(0) } as unknown as RowTable, []);
    expect(v.count).toBe(0);
    expect(v.posOf(0)).toBe(-1);
  });
});
