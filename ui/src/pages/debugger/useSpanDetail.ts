// The record of the selected span, asked of the trace worker whenever the selection or the file changes.
import { useEffect, useRef, useState } from "react";
import { STATUS_RUNNING, type RowTable } from "../../trace/table";
import type { SpanDetail } from "../../trace/useTrace";

/** The detail of `selectedId` (null when it has none). An ended span whose record is not in the file yet (the
 *  exporter writes in batches, so a span that ends on a resume is announced before it is written) makes the
 *  file be read again until the record is there (at most 30 times). */
export function useSpanDetail(
  selectedId: string | null,
  table: RowTable | null,
  selectedRow: number,
  requestDetail: (id: string) => Promise<SpanDetail>,
  detailVersion: number,
  refresh: () => void,
): SpanDetail | null {
  const [detail, setDetail] = useState<SpanDetail | null>(null);
  const retries = useRef<{ id: string | null; n: number }>({ id: null, n: 0 });
  useEffect(() => {
    let cancelled = false;
    if (!selectedId) {
      setDetail(null);
      return;
    }
    void requestDetail(selectedId).then((d) => {
      if (cancelled) return;
      setDetail(d.full || d.started ? d : null);
      const ended = selectedRow >= 0 && table !== null && table.status[selectedRow] !== STATUS_RUNNING;
      if (retries.current.id !== selectedId) retries.current = { id: selectedId, n: 0 };
      if (!d.full && d.started && ended && retries.current.n < 30) {
        retries.current.n += 1;
        refresh();
      }
    });
    return () => {
      cancelled = true;
    };
  }, [selectedId, detailVersion, requestDetail, refresh, table, selectedRow]);
  return detail;
}
