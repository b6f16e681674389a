import { useCallback, useMemo, useState } from "react";
import { Inspector, type TabId } from "../components/Inspector";
import { SessionHead } from "../components/SessionHead";
import { navigate, sessionHref } from "../lib/router";
import { useSessions } from "../lib/sessions";
import { useNow } from "../lib/useNow";
import { STATUS_RUNNING } from "../trace/table";
import { useTrace } from "../trace/useTrace";
import { SessionBanners } from "./debugger/SessionBanners";
import { sessionView } from "./debugger/sessionView";
import { TreePane } from "./debugger/TreePane";
import { useCollapsed } from "./debugger/useCollapsed";
import { useFindSpan } from "./debugger/useFindSpan";
import { useSpanDetail } from "./debugger/useSpanDetail";

/** One session: its head and banners, the span tree, and the inspector of the selected span (`spanId`, else the
 *  first span). */
export function DebuggerPage({ sessionId, spanId }: { sessionId: string; spanId: string | null }): JSX.Element {
  const { state, requestDetail, detailVersion, refresh } = useTrace(sessionId);
  const { sessions, waiting } = useSessions();
  const session = sessions[sessionId];
  const { table } = state;
  const view = sessionView(sessionId, session, state);
  const hasRunningSpans = useMemo(() => !!table && table.status.includes(STATUS_RUNNING), [table]);
  const now = useNow(500, view.live || (hasRunningSpans && view.frozenAt === null));
  const [tab, setTab] = useState<TabId>("attributes");

  const indexById = useMemo(() => {
    const m = new Map<string, number>();
    if (table) for (let i = 0; i < table.n; i++) m.set(table.ids[i], i);
    return m;
  }, [table]);
  const selectedId = spanId ?? (table && table.n > 0 ? table.ids[0] : null);
  const select = useCallback((id: string) => navigate(sessionHref(sessionId, id), true), [sessionId]);
  const fold = useCollapsed(table, indexById, spanId);
  const find = useFindSpan(table, select);
  const detail = useSpanDetail(selectedId, table, indexById, requestDetail, detailVersion, refresh);

  const selectedRow = selectedId ? (indexById.get(selectedId) ?? -1) : -1;
  const selectedRunning = !!table && selectedRow >= 0 && table.status[selectedRow] === STATUS_RUNNING && view.frozenAt === null;

  return (
    <div
      className="page debugger-page"
      data-testid="debugger-page"
      data-session-id={sessionId}
      data-load-ms={state.loadMs !== null ? Math.round(state.loadMs) : undefined}
      data-trace-bytes={state.bytesIn}
    >
      <SessionHead
        sessionId={sessionId}
        status={view.status}
        title={view.title}
        engine={view.engine}
        parent={view.parent}
        startedAt={view.startedAt}
        endedAt={view.endedAt}
        live={view.live}
        now={now}
        table={table}
        progress={state.progress}
        usage={session?.usage}
      />
      <SessionBanners
        sessionId={sessionId}
        session={session}
        waiting={waiting[sessionId] ?? null}
        status={view.status}
        live={view.live}
        partialTail={state.partialTail}
      />
      <div className="debugger-body">
        <TreePane
          state={state}
          live={view.live}
          indexById={indexById}
          selectedId={selectedId}
          fold={fold}
          find={find}
          now={now}
          frozenAt={view.frozenAt}
          onSelect={select}
        />
        <Inspector detail={detail} running={selectedRunning} tab={tab} onTab={setTab} link={selectedId ? sessionHref(sessionId, selectedId) : "#"} />
      </div>
    </div>
  );
}
