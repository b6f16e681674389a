import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent } from "react";
import { navigate, sessionHref } from "../lib/router";
import type { SearchFilters, SearchHit, SearchResponse } from "../lib/search";
import type { SessionInfo } from "../lib/types";
import { Snippet } from "./Highlight";
import { SpanSearchFilters } from "./SpanSearchFilters";
import { useSpanSearch } from "./useSpanSearch";

const PAGE = 25;

export interface SpanSearchHandle {
  /** Move the keyboard focus into the results (the first hit active). */
  focus(): void;
}

function hitHref(h: SearchHit, query: string): string {
  return sessionHref(h.session_id, h.span_id ?? null, query);
}

function countLine(r: SearchResponse, shown: number): string {
  const total = r.total ?? r.hits.length;
  const word = total === 1 ? "span" : "spans";
  const of = shown < total ? `1–${shown.toLocaleString()} of ` : "";
  return `${of}${total.toLocaleString()}${r.complete === false ? "+" : ""} ${word}${r.ranked ? ", best first" : ""}`;
}

function Coverage({ r }: { r: SearchResponse }): JSX.Element | null {
  if (r.complete !== false && !r.note) return null;
  const progress = r.progress && r.progress.state === "building" ? ` Index ${r.progress.percent ?? 0}% built.` : "";
  const unread = r.unread?.sessions ? ` ${r.unread.sessions.toLocaleString()} session(s) not fully read.` : "";
  return (
    <p className="search-coverage small" data-testid="search-coverage">
      {r.note ?? "Not everything was searched."}
      {unread}
      {progress}
    </p>
  );
}

interface Props {
  query: string;
  sessions: Record<string, SessionInfo>;
  onClose: () => void;
}

/** Results of GET /search for a submitted query: ranked hits with readable snippets, the true count, more pages,
 *  filters (kind, status, session), and keyboard navigation (↑/↓ or j/k move, Enter opens the span with the match
 *  marked, Esc closes; Tab reaches the filters, where Esc closes too). */
export const SpanSearchResults = forwardRef<SpanSearchHandle, Props>(function SpanSearchResults({ query, sessions, onClose }, ref) {
  const [filters, setFilters] = useState<SearchFilters>({});
  const { result, hits, error, loadingMore, more } = useSpanSearch(query, filters, PAGE);
  const [active, setActive] = useState(-1);
  const listRef = useRef<HTMLUListElement>(null);

  useImperativeHandle(ref, () => ({
    focus: () => {
      if (!hits.length) return;
      setActive((a) => (a < 0 ? 0 : a));
      listRef.current?.focus();
    },
  }));

  useEffect(() => setActive(-1), [query, filters]);

  useEffect(() => {
    if (active < 0) return;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const total = result?.total ?? hits.length;
  const onKey = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (e.key === "ArrowDown" || e.key === "j") setActive((a) => Math.min(hits.length - 1, a + 1));
    else if (e.key === "ArrowUp" || e.key === "k") setActive((a) => Math.max(0, a - 1));
    else if (e.key === "Home") setActive(0);
    else if (e.key === "End") setActive(hits.length - 1);
    else if (e.key === "Enter" && active >= 0 && hits[active]) navigate(hitHref(hits[active], query));
    else if (e.key === "Escape") onClose();
    else return;
    e.preventDefault();
  };

  return (
    <section className="search-results" data-testid="search-results" aria-label={`Spans matching ${query}`}>
      <header className="search-results-head">
        <strong>Spans matching “{query}”</strong>
        {result && (
          <span className="dim small" data-testid="search-count">
            {countLine(result, hits.length)}
            {result.index ? ` · ${result.index === "sqlite_fts5" ? "index" : "file scan"}` : ""}
          </span>
        )}
        <span className="dim small search-keys">↑↓ move · Enter open · Esc close</span>
        <button type="button" className="icon-btn" aria-label="Close search results" onClick={onClose}>
          ×
        </button>
      </header>
      {!result && !error && <p className="dim pad">Searching…</p>}
      {error && <p className="field-error pad">{error}</p>}
      {result?.error && <p className="field-error pad">{result.error}</p>}
      <SpanSearchFilters filters={filters} sessions={sessions} onChange={setFilters} onEscape={onClose} />
      {result && <Coverage r={result} />}
      {result && hits.length === 0 && !result.error && (
        <p className="dim pad" data-testid="search-none">
          No span matches{filters.kind || filters.status || filters.session ? " with these filters" : ""}.
        </p>
      )}
      {hits.length > 0 && (
        <ul
          className="hits"
          role="listbox"
          tabIndex={0}
          ref={listRef}
          aria-activedescendant={active >= 0 ? `search-hit-${active}` : undefined}
          onKeyDown={onKey}
          onFocus={() => setActive((a) => (a < 0 ? 0 : a))}
          data-testid="search-hits"
        >
          {hits.map((h, i) => (
            <li
              key={`${h.session_id}-${h.span_id ?? ""}-${i}`}
              id={`search-hit-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "hit active" : "hit"}
              data-index={i}
              onMouseEnter={() => setActive(i)}
            >
              <a href={hitHref(h, query)} data-testid="search-hit" tabIndex={-1}>
                <span className="mono strong">{h.name ?? h.span_id ?? h.session_id}</span>
                <span className="dim"> in {sessions[h.session_id]?.title ?? h.session_id}</span>
                {h.status === "ERROR" && <span className="tag tag-error hit-tag">error</span>}
              </a>
              {h.snippet && (
                <div className="hit-snippet mono" data-testid="search-snippet">
                  {h.field && h.field !== "name" && <span className="hit-field dim">{h.field}: </span>}
                  <Snippet text={h.snippet} highlights={h.highlights} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {hits.length > 0 && hits.length < total && (
        <button type="button" className="link-btn search-more" onClick={more} disabled={loadingMore} data-testid="search-more">
          {loadingMore ? "Loading…" : `Show ${Math.min(PAGE, total - hits.length).toLocaleString()} more`}
        </button>
      )}
    </section>
  );
});
