import { useEffect, useMemo, useRef, useState } from "react";
import { Banners } from "../components/Banners";
import { SessionRowView } from "../components/SessionRowView";
import { SpanSearchResults, type SpanSearchHandle } from "../components/SpanSearch";
import { loadSessions, useSessions } from "../lib/sessions";
import { useNow } from "../lib/useNow";
import { matchesQuery, nestSessions } from "./sessionTree";

/** Rows rendered at once; the rest behind "Show more" (a long-running app makes thousands of sessions). */
const PAGE_SIZE = 300;

const FILTERS = ["all", "running", "paused", "completed", "failed", "cancelled"] as const;
type Filter = (typeof FILTERS)[number];

export function SessionsPage(): JSX.Element {
  const { sessions, loaded, loadError, problems, waiting } = useSessions();
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<Filter>("all");
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [spanQuery, setSpanQuery] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const resultsRef = useRef<SpanSearchHandle>(null);
  const list = useMemo(() => Object.values(sessions), [sessions]);
  const live = list.some((s) => s.status === "running" || s.status === "paused");
  const now = useNow(1000, live);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (e.key === "/" || e.key === "s") {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const s of list) c[s.status] = (c[s.status] ?? 0) + 1;
    return c;
  }, [list]);

  const rows = useMemo(
    () => nestSessions(list, (s) => (filter === "all" || s.status === filter) && matchesQuery(s, query), collapsed),
    [list, filter, query, collapsed],
  );

  const toggle = (id: string): void =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="page sessions-page" data-testid="sessions-page">
      <Banners problems={problems} />
      <div className="toolbar">
        <h1 className="page-title">Sessions</h1>
        <div className="filters" role="tablist" aria-label="Filter by status">
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              role="tab"
              aria-selected={filter === f}
              className={`chip ${filter === f ? "active" : ""} ${f === "paused" && counts.paused ? "chip-attention" : ""}`}
              data-testid={`filter-${f}`}
              onClick={() => setFilter(f)}
            >
              {f === "all" ? "All" : f[0].toUpperCase() + f.slice(1)}
              <span className="chip-count">{f === "all" ? list.length : (counts[f] ?? 0)}</span>
            </button>
          ))}
        </div>
        <div className="toolbar-spacer" />
        <input
          ref={searchRef}
          className="search"
          type="search"
          placeholder="Filter sessions  ·  Enter: search spans"
          aria-label="Filter sessions by title, id, engine or status; Enter searches span names and attributes"
          data-testid="session-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && query.trim()) setSpanQuery(query.trim());
            if (e.key === "Escape") setSpanQuery(null);
            if (e.key === "ArrowDown" && spanQuery) {
              e.preventDefault();
              resultsRef.current?.focus();
            }
          }}
        />
        <button type="button" className="btn" onClick={() => void loadSessions()} data-testid="refresh-sessions" title="Reload the list">
          ↻
        </button>
      </div>

      {loadError && (
        <div className="banner banner-error" role="alert" data-testid="sessions-error">
          <strong>Could not load sessions</strong>
          <span className="banner-msg">{loadError}</span>
          <button type="button" className="btn" onClick={() => void loadSessions()}>
            Retry
          </button>
        </div>
      )}

      {spanQuery && (
        <SpanSearchResults
          ref={resultsRef}
          query={spanQuery}
          sessions={sessions}
          onClose={() => {
            setSpanQuery(null);
            searchRef.current?.focus();
          }}
        />
      )}

      <div className="table-wrap">
        <table className="table sessions-table" data-testid="sessions-table">
          <thead>
            <tr>
              <th className="col-status">Status</th>
              <th>Session</th>
              <th className="col-engine">Engine</th>
              <th className="col-start">Started</th>
              <th className="col-num">Duration</th>
              <th className="col-num">Spans</th>
              <th className="col-num" title="LLM input + output tokens (llm.generate spans)">Tokens</th>
              <th className="col-num" title="From the price table (GET /prices); unknown when a model has no price">Cost</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, limit).map(({ session: s, depth, childCount }) => (
              <SessionRowView
                key={s.id}
                session={s}
                depth={depth}
                childCount={childCount}
                collapsed={collapsed.has(s.id)}
                waiting={waiting[s.id]}
                now={now}
                onToggle={toggle}
              />
            ))}
          </tbody>
        </table>
        {rows.length > limit && (
          <div className="more-row">
            <span className="dim">
              Showing {limit.toLocaleString()} of {rows.length.toLocaleString()} sessions
            </span>
            <button type="button" className="btn btn-small" data-testid="sessions-more" onClick={() => setLimit(limit + PAGE_SIZE)}>
              Show {Math.min(PAGE_SIZE, rows.length - limit)} more
            </button>
          </div>
        )}
        {loaded && !loadError && rows.length === 0 && (
          <div className="empty-state" data-testid="sessions-empty">
            {list.length === 0 ? (
              <>
                <h2>No sessions yet</h2>
                <p>Run a workflow in the app with the inspector mounted; it appears here as soon as it starts.</p>
              </>
            ) : (
              <p>No session matches this filter.</p>
            )}
          </div>
        )}
        {!loaded && <div className="empty-state">Loading sessions…</div>}
      </div>
    </div>
  );
}
