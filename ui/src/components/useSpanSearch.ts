// GET /search for the search box: the first page of a query with its filters, and more pages on request.
import { useEffect, useState } from "react";
import { describeError } from "../lib/api";
import { searchSpans, type SearchFilters, type SearchHit, type SearchResponse } from "../lib/search";

export interface SpanSearch {
  result: SearchResponse | null;
  hits: SearchHit[];
  error: string | null;
  loadingMore: boolean;
  more: () => void;
}

/** The hits of `query` with `filters`, `page` at a time; a new query or filter starts over. */
export function useSpanSearch(query: string, filters: SearchFilters, page: number): SpanSearch {
  const [result, setResult] = useState<SearchResponse | null>(null);
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const { kind, status, session } = filters;

  useEffect(() => {
    let cancelled = false;
    setResult(null);
    setHits([]);
    setError(null);
    searchSpans({ q: query, limit: page, kind, status, session })
      .then((r) => {
        if (cancelled) return;
        setResult(r);
        setHits(r.hits);
      })
      .catch((e: unknown) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [query, kind, status, session, page]);

  const more = (): void => {
    setLoadingMore(true);
    searchSpans({ q: query, limit: page, offset: hits.length, kind, status, session })
      .then((r) => {
        setResult(r);
        setHits((h) => [...h, ...r.hits]);
      })
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setLoadingMore(false));
  };

  return { result, hits, error, loadingMore, more };
}
