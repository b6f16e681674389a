import { useMemo } from "react";
import { compareHref } from "../lib/router";
import { useSessions } from "../lib/sessions";
import { formatStart, parseTime } from "../lib/time";

/** "Compare with…": other runs, those of the same title first, newest first. */
export function CompareMenu({ sessionId, title }: { sessionId: string; title: string }): JSX.Element {
  const { sessions } = useSessions();
  const others = useMemo(
    () =>
      Object.values(sessions)
        .filter((s) => s.id !== sessionId)
        .sort((x, y) => Number(y.title === title) - Number(x.title === title) || parseTime(y.started_at) - parseTime(x.started_at))
        .slice(0, 15),
    [sessions, sessionId, title],
  );
  return (
    <details className="export-menu" data-testid="compare-menu">
      <summary className="btn btn-small" title="Compare this run with another, side by side">
        Compare…
      </summary>
      <div className="export-list" role="menu">
        {others.length === 0 && <span className="dim small">No other session.</span>}
        {others.map((s) => (
          <a key={s.id} role="menuitem" className="export-item" href={compareHref(sessionId, s.id)} data-testid="compare-with" data-session-id={s.id}>
            <strong>{s.title}</strong>
            <span className="dim small">
              {formatStart(s.started_at)} · {s.status} · <span className="mono">{s.id}</span>
            </span>
          </a>
        ))}
      </div>
    </details>
  );
}
