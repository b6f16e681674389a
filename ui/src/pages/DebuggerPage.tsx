import { useState } from "react";
import { Inspector, type TabId } from "../components/Inspector";
import { SessionHead } from "../components/SessionHead";
import { sessionHref } from "../lib/router";
import { useSessions } from "../lib/sessions";
import { tableStats } from "../lib/tableStats";
import { useNow } from "../lib/useNow";
import { STATUS_RUNNING } from "../trace/table";
import { useTrace } from "../trace/useTrace";
import { SessionBanners } from "./debugger/SessionBanners";
import { sessionView } from "./debugger/sessionView";
import { TreePane } from "./debugger/TreePane";
import { useCollapsed } from "./debugger/useCollapsed";
import { useFindSpan } from "./debugger/useFindSpan";
import { useSelection } from "./debugger/useSelection";
import { useSpanDetail } from "./debugger/useSpanDetail";

/** One session: its head and banners, the span tree, and the inspector of the selected span (`spanId`, else the
 *  first span). */
export function DebuggerPage({ sessionId, spanId }: { sessionId: string; spanId: string | null }): JSX.Element {
  const { state, requestDetail, detailVersion, refresh } = useTrace(sessionId);
  const { sessions, waiting } = useSessions();
  const session = sessions[sessionId];
  const { table } = state;
  const view = sessionView(sessionId, session, state);
  const hasRunningSpans = !!table && tableStats(table).running;
  const now = useNow(500, view.live || (hasRunningSpans && view.frozenAt === null));
  const [tab, setTab] = useState<TabId>("attributes");

  const selection = useSelection(sessionId, spanId, table);
  const { selectedId, selectedRow } = selection;
  const fold = useCollapsed(table, spanId, spanId ? selectedRow : -1);
  const find = useFindSpan(table, selection.select);
  const shown = useSpanDetail(selectedId, table, selectedRow, state.loading, requestDetail, detailVersion, refresh);
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
        loading={state.loading}
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
          selection={selection}
          fold={fold}
          find={find}
          hasRunning={hasRunningSpans}
          now={now}
          frozenAt={view.frozenAt}
        />
        <Inspector
          spanId={selectedId}
          detail={shown.detail}
          missing={shown.answered === selectedId && shown.detail?.id !== selectedId}
          running={selectedRunning}
          tab={tab}
          onTab={setTab}
          link={selectedId ? sessionHref(sessionId, selectedId) : "#"}
        />
      </div>
    </div>
  );
}
