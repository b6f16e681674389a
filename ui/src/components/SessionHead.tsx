import { useState } from "react";
import { cancelSession, describeError } from "../lib/api";
import { protocolHref, sessionHref } from "../lib/router";
import { formatDuration, formatStart, parseTime } from "../lib/time";
import { tableStats } from "../lib/tableStats";
import type { RowTable } from "../trace/table";
import type { SessionUsage } from "../lib/types";
import { CompareMenu } from "./CompareMenu";
import { ExportMenu } from "./ExportMenu";
import { SessionUsageView } from "./SessionUsageView";
import { EngineTag, StatusBadge } from "./StatusBadge";

interface Props {
  sessionId: string;
  status: string;
  title: string;
  engine: string;
  parent: string | null | undefined;
  startedAt: string | null | undefined;
  endedAt: string | null | undefined;
  live: boolean;
  now: number;
  table: RowTable | null;
  /** spans read so far while the trace loads (the table shown may hold fewer) */
  progress: number;
  loading: boolean;
  usage: SessionUsage | null | undefined;
}

/** The span count: the table's, or while it loads the spans read so far ("…": more to come). */
function spanCount(table: RowTable | null, loading: boolean, progress: number): string {
  const n = table && !loading ? table.n : Math.max(table?.n ?? 0, progress);
  return `${n.toLocaleString()} ${n === 1 ? "span" : "spans"}${loading ? "…" : ""}`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;
}

export function SessionHead(p: Props): JSX.Element {
  const [cancelError, setCancelError] = useState<string | null>(null);
  // zero counts are not shown (an inbound request that calls no tool is not "0 tool")
  const stats = p.table ? tableStats(p.table) : null;
  const duration = parseTime(p.endedAt) - parseTime(p.startedAt);
  const runningFor = p.now - parseTime(p.startedAt);
  const onCancel = async (): Promise<void> => {
    setCancelError(null);
    try {
      await cancelSession(p.sessionId);
    } catch (e) {
      setCancelError(describeError(e));
    }
  };
  return (
    <>
      <div className="session-head">
        <div className="session-head-main">
          <StatusBadge status={p.status} />
          <h1 className="page-title" data-testid="session-title" title={p.title}>
            {p.title}
          </h1>
          <EngineTag engine={p.engine} />
          {p.parent && (
            <a className="tag" href={sessionHref(p.parent)} title="Parent session">
              ↑ parent
            </a>
          )}
          {/* actions on the title line, cancel first: the stats below change width as a run goes */}
          <div className="session-actions">
            {p.live && (
              <button type="button" className="btn btn-small" onClick={() => void onCancel()} data-testid="cancel-session" title="POST /cancel: stop this run">
                Cancel run
              </button>
            )}
            <a className="btn btn-small" href={protocolHref(p.sessionId)} data-testid="open-protocol" title="Every JSON-RPC message in and out, in order">
              Protocol
            </a>
            <CompareMenu sessionId={p.sessionId} title={p.title} />
            <ExportMenu sessionId={p.sessionId} />
          </div>
        </div>
        <div className="session-head-stats" data-testid="session-stats">
          <span title={p.startedAt ?? ""}>Started {formatStart(p.startedAt)}</span>
          <span className="mono">{p.endedAt ? formatDuration(duration) : p.live ? `${formatDuration(runningFor)}…` : "–"}</span>
          <span data-testid="span-count">{spanCount(p.table, p.loading, p.progress)}</span>
          {stats && stats.llm > 0 && <span title="LLM calls" data-testid="stat-llm">{stats.llm.toLocaleString()} LLM</span>}
          {stats && stats.tools > 0 && <span title="Tool calls" data-testid="stat-tools">{plural(stats.tools, "tool call")}</span>}
          {stats && stats.errors > 0 && <span className="text-error">{plural(stats.errors, "error")}</span>}
          <SessionUsageView usage={p.usage} />
        </div>
      </div>
      {cancelError && <div className="banner banner-error" role="alert">{cancelError}</div>}
    </>
  );
}
