// The filters of the span search results: span kind, status and session (GET /search's kind, status, session).
import { useMemo } from "react";
import type { SearchFilters } from "../lib/search";
import type { SessionInfo } from "../lib/types";

/** OpenInference kinds (what the inspector's spans carry) first, then OTel span kinds; /search matches either. */
const KINDS: [string, string][] = [
  ["LLM", "LLM"],
  ["TOOL", "Tool"],
  ["AGENT", "Agent"],
  ["CHAIN", "Chain (workflow)"],
  ["RETRIEVER", "Retriever"],
  ["PROMPT", "Prompt"],
  ["CLIENT", "Client (OTel)"],
  ["SERVER", "Server (OTel)"],
  ["INTERNAL", "Internal (OTel)"],
];
const STATUSES: [string, string][] = [
  ["ERROR", "Error"],
  ["OK", "OK"],
  ["UNSET", "Unset"],
];
/** Sessions offered in the list (newest first); a longer list would not be read. */
const MAX_SESSIONS = 200;

type Filter = keyof SearchFilters;

interface FilterSelectProps {
  label: string;
  name: Filter;
  filters: SearchFilters;
  options: [string, string][];
  onSet: (name: Filter, value: string) => void;
}

/** One filter: a labelled select of [value, label] options, "any" first (the filter unset). */
function FilterSelect({ label, name, filters, options, onSet }: FilterSelectProps): JSX.Element {
  return (
    <label>
      {label}{" "}
      <select value={filters[name] ?? ""} onChange={(e) => onSet(name, e.target.value)} data-testid={`search-filter-${name}`}>
        <option value="">any</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

interface Props {
  filters: SearchFilters;
  sessions: Record<string, SessionInfo>;
  onChange: (filters: SearchFilters) => void;
  onEscape: () => void;
}

export function SpanSearchFilters({ filters, sessions, onChange, onEscape }: Props): JSX.Element {
  const choices = useMemo(() => {
    const newest = Object.values(sessions)
      .sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0))
      .slice(0, MAX_SESSIONS);
    const chosen = filters.session;
    if (chosen && !newest.some((s) => s.id === chosen)) newest.unshift(sessions[chosen] ?? ({ id: chosen, title: chosen } as SessionInfo));
    return newest.map((s): [string, string] => [s.id, s.title && s.title !== s.id ? `${s.title} · ${s.id}` : s.id]);
  }, [sessions, filters.session]);
  const set = (key: Filter, value: string): void => onChange({ ...filters, [key]: value || undefined });
  const any = !!(filters.kind || filters.status || filters.session);

  return (
    <div
      className="search-filters small"
      role="group"
      aria-label="Filter the spans found"
      data-testid="search-filters"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onEscape();
        }
      }}
    >
      <FilterSelect label="Kind" name="kind" filters={filters} options={KINDS} onSet={set} />
      <FilterSelect label="Status" name="status" filters={filters} options={STATUSES} onSet={set} />
      <FilterSelect label="Session" name="session" filters={filters} options={choices} onSet={set} />
      {any && (
        <button type="button" className="link-btn" onClick={() => onChange({})} data-testid="search-filters-clear">
          Clear filters
        </button>
      )}
    </div>
  );
}
