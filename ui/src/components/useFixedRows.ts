// Windowing for a list of rows of one fixed height: which rows are in view (plus `overscan` either side) is
// arithmetic on the scroll position, so a million rows cost nothing per row (no per-row measurement objects).
// A list taller than browsers lay out (Firefox stops near 17.9M px, Chromium near 33.5M: 745k and 1.4M rows of
// 24 px) scrolls a shorter box, its scroll position mapped onto the rows: every row stays reachable.
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { flushSync } from "react-dom";

/** The tallest box the list lays out (px). */
export const MAX_BOX_PX = 15_000_000;

export interface RowWindow {
  /** first row to render */
  first: number;
  /** one past the last row to render */
  last: number;
  /** the height of the scrolled box (px): all rows, or MAX_BOX_PX */
  totalSize: number;
  /** how far up the rows are drawn from where `row * rowHeight` puts them in the box (px; 0 unless it is capped) */
  shift: number;
}

export interface FixedRows extends RowWindow {
  /** Scroll so that row `index` shows: in the middle (`center`), or just enough (`auto`). */
  scrollToIndex: (index: number, align: "center" | "auto") => void;
}

/** The box's height, and the factor from its scroll range to the rows' (1 when every row fits). */
function geometry(count: number, rowHeight: number, view: number): { totalSize: number; scale: number } {
  const real = count * rowHeight;
  if (real <= MAX_BOX_PX) return { totalSize: real, scale: 1 };
  return { totalSize: MAX_BOX_PX, scale: Math.max(0, real - view) / Math.max(1, MAX_BOX_PX - view) };
}

/** The rows to render at scroll position `scrollTop` of a box `view` px high. */
export function rowWindow(scrollTop: number, view: number, count: number, rowHeight: number, overscan: number): RowWindow {
  const { totalSize, scale } = geometry(count, rowHeight, view);
  const y = scrollTop * scale; // where the view starts among the rows (px)
  const top = Math.floor(y / rowHeight);
  const first = Math.max(0, top - overscan);
  const last = Math.min(count, top + Math.ceil(view / rowHeight) + 1 + overscan);
  return { first, last: Math.max(first, last), totalSize, shift: y - scrollTop };
}

/** The scroll position that shows row `index` (in the middle, or from `scrollTop` just enough). */
export function scrollTopFor(index: number, align: "center" | "auto", scrollTop: number, view: number, count: number, rowHeight: number): number {
  const { scale } = geometry(count, rowHeight, view);
  const at = scrollTop * scale;
  const y = index * rowHeight;
  let target = at;
  if (align === "center") target = y - (view - rowHeight) / 2;
  else if (y < at) target = y;
  else if (y + rowHeight > at + view) target = y + rowHeight - view;
  target = Math.max(0, Math.min(target, count * rowHeight - view));
  return scale > 0 ? target / scale : 0;
}

export function useFixedRows(scrollRef: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number): FixedRows {
  const [scrollTop, setScrollTop] = useState(0);
  // rows on the very first render, before the scroll element is measured
  const [height, setHeight] = useState(() => (typeof window === "undefined" ? 600 : window.innerHeight));
  // scrolling within a row renders nothing, unless the box is capped (then the rows move by `shift`)
  const capped = useRef(false);
  capped.current = count * rowHeight > MAX_BOX_PX;

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let last = el.scrollTop;
    // rendered at once (as the scroll happens, not a task later: no frame shows a gap)
    const onScroll = (): void => {
      const now = el.scrollTop;
      const same = !capped.current && Math.floor(now / rowHeight) === Math.floor(last / rowHeight);
      last = now;
      if (!same) flushSync(() => setScrollTop(now));
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    setHeight(el.clientHeight || height);
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => setHeight(el.clientHeight));
    observer?.observe(el);
    return () => {
      el.removeEventListener("scroll", onScroll);
      observer?.disconnect();
    };
    // the element is the same for the component's life
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRef]);

  const scrollToIndex = useCallback(
    (index: number, align: "center" | "auto") => {
      const el = scrollRef.current;
      if (!el) return;
      const target = scrollTopFor(index, align, el.scrollTop, el.clientHeight, count, rowHeight);
      if (Math.abs(target - el.scrollTop) >= 1) el.scrollTop = target;
      setScrollTop(el.scrollTop);
    },
    [scrollRef, rowHeight, count],
  );

  // within a row, the window is the row's (no render per pixel when the rows are not capped)
  const at = capped.current ? scrollTop : Math.floor(scrollTop / rowHeight) * rowHeight;
  return { ...rowWindow(at, height, count, rowHeight, overscan), scrollToIndex };
}
