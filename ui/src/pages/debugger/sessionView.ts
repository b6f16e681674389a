// What the debugger page shows of its session: the registry's entry (live) first, else the trace file's header and
// end record.
import type { SessionInfo } from "../../lib/types";
import { parseTime } from "../../lib/time";
import type { TraceState } from "../../trace/useTrace";

export interface SessionView {
  status: string;
  live: boolean;
  title: string;
  engine: string;
  startedAt: string | undefined;
  endedAt: string | null | undefined;
  parent: string | null | undefined;
  /** when a finished session ended (ms): spans it left open (its process was killed, say) stop there */
  frozenAt: number | null;
}

export function sessionView(sessionId: string, session: SessionInfo | undefined, state: TraceState): SessionView {
  const status = session?.status ?? state.end?.status ?? (state.table ? "running" : "unknown");
  const live = status === "running" || status === "paused";
  const endedAt = session?.ended_at ?? state.end?.ended_at;
  return {
    status,
    live,
    title: session?.title ?? state.header?.title ?? sessionId,
    engine: session?.engine ?? state.header?.engine ?? "asyncio",
    startedAt: session?.started_at ?? state.header?.started_at,
    endedAt,
    parent: session?.parent_session_id ?? state.header?.parent_session_id,
    frozenAt: !live && endedAt ? parseTime(endedAt) : null,
  };
}
