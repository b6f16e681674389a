// The record of the selected span, asked of the trace worker whenever the selection or the file changes.
import { useEffect, useRef, useState } from "react";
import { STATUS_RUNNING, type RowTable } from "../../trace/table";
import type { SpanDetail } from "../../trace/useTrace";

export interface ShownDetail {
  /** the last record read: of `selectedId`, or of the span selected before while this one's is read */
  detail: SpanDetail | null;
  /** the id whose answer came last (null: none yet): `selectedId` with no detail means no record could be read */
  answered: string | null;
}

/** The detail of `selectedId` (null when it has none). An ended span whose record is not in the file yet (the
 *  exporter writes in batches, so a span that ends on a resume is announced before it is written) makes the
 *  file be read again until the record is there (at most 30 times). */
export function useSpanDetail(
  selectedId: string | null,
  table: RowTable | null,
  selectedRow: number,
  /** the trace is still being read */
  loading: boolean,
  requestDetail: (id: string) => Promise<SpanDetail>,
  detailVersion: number,
  refresh: () => void,
): ShownDetail {
  const [shown, setShown] = useState<ShownDetail>({ detail: null, answered: null });
  const retries = useRef<{ id: string | null; n: number }>({ id: null, n: 0 });
  useEffect(() => {
    let cancelled = false;
    if (!selectedId) {
      setShown({ detail: null, answered: null });
      return;
    }
    // asked again (the file grew, the gateway came back): until the answer, "reading", not "could not be read"
    setShown((s) => (s.answered === selectedId && s.detail?.id !== selectedId ? { detail: s.detail, answered: null } : s));
    // not in the rows read so far: wait for more (the worker knows no more of it than they do)
    if (selectedRow < 0 && loading) return;
    void requestDetail(selectedId).then((d) => {
      if (cancelled) return;
      setShown({ detail: d.full || d.started ? d : null, answered: selectedId });
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
  }, [selectedId, detailVersion, requestDetail, refresh, table, selectedRow, loading]);
  return shown;
}
