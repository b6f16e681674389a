import { useEffect, useState } from "react";
import { describeError, searchSpans, type SearchResponse } from "../lib/api";
import { sessionHref } from "../lib/router";
import type { SessionInfo } from "../lib/types";

/** Results of GET /search (span names and attributes across trace files) for a submitted query. */
export function SpanSearchResults({ query, sessions, onClose }: { query: string; sessions: Record<string, SessionInfo>; onClose: () => void }): JSX.Element {
  const [result, setResult] = useState<SearchResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    setResult(null);
    setError(null);
    searchSpans(query)
      .then((r) => !cancelled && setResult(r))
      .catch((e: unknown) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [query]);
  return (
    <section className="search-results" data-testid="search-results">
      <header className="search-results-head">
        <strong>Spans matching “{query}”</strong>
        {result && (
          <span className="dim small">
            {result.hits.length} hit{result.hits.length === 1 ? "" : "s"}
            {result.index ? ` · ${result.index}` : ""}
          </span>
        )}
        <button type="button" className="icon-btn" aria-label="Close search results" onClick={onClose}>
          ×
        </button>
      </header>
      {!result && !error && <p className="dim pad">Searching…</p>}
      {error && <p className="field-error pad">{error}</p>}
      {result?.error && <p className="field-error pad">{result.error}</p>}
      {result && result.hits.length === 0 && !result.error && <p className="dim pad">No span matches.</p>}
      {result && result.hits.length > 0 && (
        <ul className="hits">
          {result.hits.map((h, i) => (
            <li key={`${h.session_id}-${h.span_id ?? i}`}>
              <a href={sessionHref(h.session_id, h.span_id ?? null)} data-testid="search-hit">
                <span className="mono strong">{h.name ?? h.span_id ?? h.session_id}</span>
                <span className="dim"> in {sessions[h.session_id]?.title ?? h.session_id}</span>
              </a>
              {h.snippet && <div className="hit-snippet mono dim">{h.snippet}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
