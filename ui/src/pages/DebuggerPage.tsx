import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Inspector, type TabId } from "../components/Inspector";
import { ResumePanel } from "../components/ResumePanel";
import { SpanTree } from "../components/SpanTree";
import { SessionHead } from "../components/SessionHead";
import { navigate, sessionHref } from "../lib/router";
import { useSessions } from "../lib/sessions";
import { parseTime } from "../lib/time";
import { useNow } from "../lib/useNow";
import { findRows } from "../trace/find";
import { STATUS_RUNNING, visibleRows } from "../trace/table";
import { useTrace, type SpanDetail } from "../trace/useTrace";

export function DebuggerPage({ sessionId, spanId }: { sessionId: string; spanId: string | null }): JSX.Element {
  const { state, requestDetail, detailVersion, refresh } = useTrace(sessionId);
  const { sessions, waiting } = useSessions();
  const session = sessions[sessionId];
  const { table } = state;
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [detail, setDetail] = useState<SpanDetail | null>(null);
  const [tab, setTab] = useState<TabId>("attributes");
  const [query, setQuery] = useState("");
  const [matchCursor, setMatchCursor] = useState(0);
  const [sentSignal, setSentSignal] = useState<string | null>(null);
  const findRef = useRef<HTMLInputElement>(null);

  const status = session?.status ?? state.end?.status ?? (state.table ? "running" : "unknown");
  const live = status === "running" || status === "paused";
  const hasRunningSpans = useMemo(() => !!table && table.status.includes(STATUS_RUNNING), [table]);
  const endedAt = session?.ended_at ?? state.end?.ended_at;
  // spans a finished session left open (its process was killed, say) stop where the session ended
  const frozenAt = !live && endedAt ? parseTime(endedAt) : null;
  const now = useNow(500, live || (hasRunningSpans && frozenAt === null));

  const indexById = useMemo(() => {
    const m = new Map<string, number>();
    if (table) for (let i = 0; i < table.n; i++) m.set(table.ids[i], i);
    return m;
  }, [table]);
  const visible = useMemo(() => (table ? visibleRows(table, collapsed) : new Int32Array(0)), [table, collapsed]);
  const selectedId = spanId ?? (table && table.n > 0 ? table.ids[0] : null);

  const matches = useMemo(() => (table ? findRows(table, query) : new Set<number>()), [table, query]);

  const select = useCallback((id: string) => navigate(sessionHref(sessionId, id), true), [sessionId]);

  const toggle = useCallback((id: string, open?: boolean) => {
    setCollapsed((c) => {
      const next = new Set(c);
      const isOpen = !next.has(id);
      if (open ?? !isOpen) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  // An ended span whose record is not in the file yet (the exporter writes in batches, so a span that ends on a
  // resume is announced before it is written): read the file again until it is there (at most 30 times).
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
      const row = table ? (indexById.get(selectedId) ?? -1) : -1;
      const ended = row >= 0 && table !== null && table.status[row] !== STATUS_RUNNING;
      if (retries.current.id !== selectedId) retries.current = { id: selectedId, n: 0 };
      if (!d.full && d.started && ended && retries.current.n < 30) {
        retries.current.n += 1;
        refresh();
      }
    });
    return () => {
      cancelled = true;
    };
  }, [selectedId, detailVersion, requestDetail, refresh, table, indexById]);

  // A deep link (or a search hit) to a span inside a collapsed subtree opens its ancestors, once per span:
  // collapsing an ancestor of the selected span afterwards stays collapsed.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!table || !spanId || revealed.current === spanId) return;
    const idx = indexById.get(spanId) ?? -1;
    if (idx < 0) return;
    revealed.current = spanId;
    const ancestors: string[] = [];
    for (let p = table.parent[idx]; p >= 0; p = table.parent[p]) ancestors.push(table.ids[p]);
    setCollapsed((c) => {
      if (!ancestors.some((a) => c.has(a))) return c;
      const next = new Set(c);
      for (const a of ancestors) next.delete(a);
      return next;
    });
  }, [table, spanId, indexById]);

  const jumpToMatch = (dir: 1 | -1): void => {
    if (!table || !matches.size) return;
    const list = [...matches];
    const k = (matchCursor + dir + list.length) % list.length;
    setMatchCursor(k);
    select(table.ids[list[k]]);
  };

  const title = session?.title ?? state.header?.title ?? sessionId;
  const engine = session?.engine ?? state.header?.engine ?? "asyncio";
  const startedAt = session?.started_at ?? state.header?.started_at;
  const parent = session?.parent_session_id ?? state.header?.parent_session_id;
  const selectedRow = selectedId ? (indexById.get(selectedId) ?? -1) : -1;
  const selectedRunning =
    !!table && selectedRow >= 0 && table.status[selectedRow] === STATUS_RUNNING && frozenAt === null;

  return (
    <div
      className="page debugger-page"
      data-testid="debugger-page"
      data-session-id={sessionId}
      data-load-ms={state.loadMs !== null ? Math.round(state.loadMs) : undefined}
    >
      <SessionHead
        sessionId={sessionId}
        status={status}
        title={title}
        engine={engine}
        parent={parent}
        startedAt={startedAt}
        endedAt={endedAt}
        live={live}
        now={now}
        table={table}
        progress={state.progress}
        usage={session?.usage}
      />
      {session?.error && <div className="banner banner-error" data-testid="session-error"><strong>Failed</strong><span className="banner-msg">{session.error}</span></div>}
      {status === "paused" && (
        <ResumePanel
          key={`${sessionId}-${waiting[sessionId]?.signal_name ?? ""}`}
          sessionId={sessionId}
          waiting={waiting[sessionId] ?? null}
          onSent={setSentSignal}
        />
      )}
      {sentSignal && status !== "paused" && (
        <div className="banner banner-ok" role="status" data-testid="resume-sent">
          <strong>Answer sent</strong>
          <span className="banner-msg">
            Signal <span className="mono">{sentSignal}</span> delivered; {live ? "the run continues…" : `the run is ${status}.`}
          </span>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setSentSignal(null)}>
            ×
          </button>
        </div>
      )}
      {state.partialTail && live && <div className="hint">The last line of the trace is still being written.</div>}

      <div className="debugger-body">
        <section className="tree-pane">
          <div className="tree-toolbar">
            <input
              ref={findRef}
              className="search"
              type="search"
              placeholder="Find span (name, tool, model, method)"
              aria-label="Find span by name or label (tool, model, agent, RPC method)"
              data-testid="span-search"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setMatchCursor(-1);
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  jumpToMatch(e.shiftKey ? -1 : 1);
                }
              }}
            />
            {query && <span className="dim small" data-testid="span-match-count">{matches.size} match{matches.size === 1 ? "" : "es"}</span>}
            <div className="toolbar-spacer" />
            <span className="dim small keys-hint" title="Keyboard: click the tree first">
              <kbd>↑</kbd>
              <kbd>↓</kbd> move · <kbd>←</kbd>
              <kbd>→</kbd> fold · <kbd>Enter</kbd> toggle
            </span>
            <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set())} title="Expand all">
              Expand all
            </button>
            <button
              type="button"
              className="btn btn-small"
              title="Collapse to the top level"
              onClick={() => {
                if (!table) return;
                const next = new Set<string>();
                for (let i = 0; i < table.n; i++) if (table.depth[i] === 0 && table.size[i] > 1) next.add(table.ids[i]);
                setCollapsed(next);
              }}
            >
              Collapse
            </button>
          </div>
          {table && table.n > 0 ? (
            <SpanTree
              table={table}
              indexById={indexById}
              visible={visible}
              collapsed={collapsed}
              selectedId={selectedId}
              matches={matches}
              now={now}
              endedAt={frozenAt}
              onSelect={select}
              onToggle={toggle}
            />
          ) : state.loading ? (
            <div className="empty-state" data-testid="trace-loading">
              Loading trace… {state.progress ? `${state.progress.toLocaleString()} spans` : ""}
            </div>
          ) : state.error ? (
            <div className="empty-state" data-testid="trace-error">
              <h2>{state.errorStatus === 404 && live ? "Waiting for the first spans…" : "The trace could not be shown"}</h2>
              <p>{state.error}</p>
              <p>
                <a href="#/">Back to sessions</a>
              </p>
            </div>
          ) : (
            <div className="empty-state" data-testid="trace-empty">
              No spans recorded {live ? "yet" : "for this session"}.
            </div>
          )}
          {state.loading && table && <div className="loading-strip" data-testid="trace-loading-more">Loading… {state.progress.toLocaleString()} spans</div>}
        </section>
        <Inspector detail={detail} running={selectedRunning} tab={tab} onTab={setTab} link={selectedId ? sessionHref(sessionId, selectedId) : "#"} />
      </div>
    </div>
  );
}
