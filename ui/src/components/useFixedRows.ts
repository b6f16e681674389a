// Windowing for a list of rows of one fixed height: which rows are in view (plus `overscan` either side) is
// arithmetic on the scroll position, so a million rows cost nothing per row (no per-row measurement objects).
import { useCallback, useEffect, useState, type RefObject } from "react";
import { flushSync } from "react-dom";

export interface FixedRows {
  /** first row to render */
  first: number;
  /** one past the last row to render */
  last: number;
  /** the height of all rows (px) */
  totalSize: number;
  /** Scroll so that row `index` shows: in the middle (`center`), or just enough (`auto`). */
  scrollToIndex: (index: number, align: "center" | "auto") => void;
}

export function useFixedRows(scrollRef: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan: number): FixedRows {
  // the first row in view: scrolling within a row renders nothing
  const [top, setTop] = useState(0);
  // rows on the very first render, before the scroll element is measured
  const [height, setHeight] = useState(() => (typeof window === "undefined" ? 600 : window.innerHeight));

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    // rendered at once (as the scroll happens, not a task later: no frame shows a gap)
    const onScroll = (): void => flushSync(() => setTop(Math.floor(el.scrollTop / rowHeight)));
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
      const y = index * rowHeight;
      const view = el.clientHeight;
      let target = el.scrollTop;
      if (align === "center") target = y - (view - rowHeight) / 2;
      else if (y < el.scrollTop) target = y;
      else if (y + rowHeight > el.scrollTop + view) target = y + rowHeight - view;
      target = Math.max(0, Math.min(target, count * rowHeight - view));
      if (target !== el.scrollTop) el.scrollTop = target;
      setTop(Math.floor(el.scrollTop / rowHeight));
    },
    [scrollRef, rowHeight, count],
  );

  const first = Math.max(0, top - overscan);
  const last = Math.min(count, top + Math.ceil(height / rowHeight) + 1 + overscan);
  return { first, last: Math.max(first, last), totalSize: count * rowHeight, scrollToIndex };
}
