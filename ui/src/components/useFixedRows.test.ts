import { describe, expect, it } from "vitest";
import { MAX_BOX_PX, rowWindow, scrollTopFor } from "./useFixedRows";

const H = 24;
const VIEW = 600;

/** The row drawn at the top of the view for a scroll position. */
function topRow(scrollTop: number, count: number): number {
  const w = rowWindow(scrollTop, VIEW, count, H, 0);
  // row r is drawn at r * H - shift in the box; the view starts at scrollTop
  return Math.floor((scrollTop + w.shift) / H);
}

describe("fixed-row windowing", () => {
  it("lays out every row when they fit, and scrolls to a row", () => {
    const w = rowWindow(240, VIEW, 1000, H, 2);
    expect(w).toEqual({ first: 8, last: 38, totalSize: 24000, shift: 0 });
    expect(scrollTopFor(500, "auto", 0, VIEW, 1000, H)).toBe(500 * H + H - VIEW);
    expect(scrollTopFor(500, "center", 0, VIEW, 1000, H)).toBe(500 * H - (VIEW - H) / 2);
    expect(scrollTopFor(5, "auto", 0, VIEW, 1000, H)).toBe(0); // in view already
  });

  it("caps the box of a list taller than browsers lay out, every row still reachable", () => {
    const count = 2_000_000; // 48M px of rows
    expect(rowWindow(0, VIEW, count, H, 0).totalSize).toBe(MAX_BOX_PX);
    expect(topRow(0, count)).toBe(0);
    const bottom = MAX_BOX_PX - VIEW;
    const end = rowWindow(bottom, VIEW, count, H, 0);
    expect(end.last).toBe(count);
    expect(topRow(bottom, count)).toBe(count - VIEW / H);
    for (const row of [1, 777_777, 1_500_000, count - 1]) {
      const s = scrollTopFor(row, "center", 0, VIEW, count, H);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(bottom);
      const w = rowWindow(s, VIEW, count, H, 0);
      expect(row).toBeGreaterThanOrEqual(w.first);
      expect(row).toBeLessThan(w.last);
      // drawn inside the view
      const y = row * H - w.shift - s;
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y + H).toBeLessThanOrEqual(VIEW + 0.001);
    }
  });
});
