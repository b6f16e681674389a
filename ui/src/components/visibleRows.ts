// The rows the span tree shows: the table's pre-order rows less the subtrees of folded rows, kept as runs of
// consecutive rows, so folding or unfolding a span with a million descendants costs as many steps as there are
// folded rows, and row <-> position is a binary search (nothing per row, per frame or per selection).
import type { RowTable } from "../trace/table";

export class VisibleRows {
  /** how many rows show */
  readonly count: number;

  /** `runRow[k]`: the first row of run k; `runPos[k]`: its position; `runPos[k + 1] - runPos[k]`: its length */
  private constructor(
    private readonly runRow: Int32Array,
    private readonly runPos: Int32Array,
  ) {
    this.count = runPos[runPos.length - 1];
  }

  /** The rows of `table` with the subtrees of `folded` (row indices, ascending) left out. */
  static of(table: RowTable, folded: ArrayLike<number>): VisibleRows {
    const runRow: number[] = [];
    const runPos: number[] = [0];
    let row = 0;
    const push = (end: number): void => {
      if (end <= row) return;
      runRow.push(row);
      runPos.push(runPos[runPos.length - 1] + end - row);
    };
    for (let k = 0; k < folded.length; k++) {
      const f = folded[k];
      if (f < row || f >= table.n) continue; // inside a folded subtree already
      push(f + 1);
      row = f + table.size[f];
    }
    push(table.n);
    return new VisibleRows(Int32Array.from(runRow), Int32Array.from(runPos));
  }

  /** The row at position `pos` (0 <= pos < count). */
  rowAt(pos: number): number {
    const k = lastAtMost(this.runPos, pos, this.runRow.length);
    return this.runRow[k] + pos - this.runPos[k];
  }

  /** The position of `row`, -1 when it is hidden (inside a folded subtree) or not a row. */
  posOf(row: number): number {
    if (row < 0 || !this.runRow.length) return -1;
    const k = lastAtMost(this.runRow, row, this.runRow.length);
    if (k < 0) return -1;
    const pos = this.runPos[k] + row - this.runRow[k];
    return pos < this.runPos[k + 1] ? pos : -1;
  }
}

/** The last index k < len with a[k] <= x (a ascending), -1 when none. */
function lastAtMost(a: Int32Array, x: number, len: number): number {
  let lo = 0;
  let hi = len - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}
