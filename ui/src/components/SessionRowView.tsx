import { formatCost, formatTokens } from "../lib/prices";
import { navigate, sessionHref } from "../lib/router";
import { formatAgo, formatDuration, formatStart, parseTime } from "../lib/time";
import type { SessionInfo, WaitingInfo } from "../lib/types";
import { EngineTag, StatusBadge } from "./StatusBadge";

function PauseIcon(): JSX.Element {
  return (
    <svg className="icon" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
      <rect x="1.5" y="1" width="2.5" height="8" rx="0.5" fill="currentColor" />
      <rect x="6" y="1" width="2.5" height="8" rx="0.5" fill="currentColor" />
    </svg>
  );
}

const isLive = (s: SessionInfo): boolean => s.status === "running" || s.status === "paused";

function duration(s: SessionInfo, now: number): string {
  const start = parseTime(s.started_at);
  const end = s.ended_at ? parseTime(s.ended_at) : isLive(s) ? now : Number.NaN;
  const text = formatDuration(end - start);
  return s.ended_at || !isLive(s) ? text : `${text}…`;
}

function TitleCell(p: { s: SessionInfo; depth: number; childCount: number; collapsed: boolean; waiting?: WaitingInfo; onToggle: (id: string) => void }): JSX.Element {
  const { s, depth, childCount, waiting: w } = p;
  return (
    <td>
      <div className="session-title" style={{ paddingLeft: depth * 18 }}>
        {childCount > 0 ? (
          <button
            type="button"
            className="caret-btn"
            aria-label={p.collapsed ? "Show child sessions" : "Hide child sessions"}
            aria-expanded={!p.collapsed}
            onClick={(e) => {
              e.stopPropagation();
              p.onToggle(s.id);
            }}
          >
            {p.collapsed ? "▸" : "▾"}
          </button>
        ) : depth > 0 ? (
          <span className="child-mark" aria-hidden="true">↳</span>
        ) : (
          <span className="caret-spacer" />
        )}
        <span className="title-text">{s.title || s.id}</span>
        <span className="mono dim id-text">{s.id}</span>
        {childCount > 0 && <span className="tag">{childCount} child{childCount > 1 ? "ren" : ""}</span>}
      </div>
      {s.status === "paused" && (
        <div className="waiting-line" style={{ paddingLeft: depth * 18 + 22 }} data-testid="waiting-line">
          <PauseIcon />
          <span className="waiting-text" title={w ? `Waiting on signal ${w.signal_name}` : "Waiting on a signal"}>
            {w?.prompt ? `Waiting for input: “${w.prompt}”` : "Waiting on a signal"}
          </span>
        </div>
      )}
      {s.status === "failed" && s.error && (
        <div className="error-line" style={{ paddingLeft: depth * 18 + 22 }}>
          {s.error}
        </div>
      )}
    </td>
  );
}

function UsageCells({ s }: { s: SessionInfo }): JSX.Element {
  const u = s.usage;
  const tokens = u ? u.input_tokens + u.output_tokens : null;
  const models = u ? Object.keys(u.models).join(", ") : "";
  return (
    <>
      <td className="col-num mono" data-testid="session-tokens" title={u ? `${u.input_tokens} in + ${u.output_tokens} out (${models})` : "No LLM tokens recorded"}>
        {tokens ? formatTokens(tokens) : "–"}
      </td>
      <td className="col-num mono" data-testid="session-cost" title={u && u.cost_usd === null ? `No price known for: ${u.unpriced.join(", ")}` : ""}>
        {u ? formatCost(u.cost_usd) : "–"}
      </td>
    </>
  );
}

export interface SessionRowProps {
  session: SessionInfo;
  depth: number;
  childCount: number;
  collapsed: boolean;
  waiting?: WaitingInfo;
  now: number;
  onToggle: (id: string) => void;
}

/** One row of the sessions table. */
export function SessionRowView({ session: s, depth, childCount, collapsed, waiting, now, onToggle }: SessionRowProps): JSX.Element {
  return (
    <tr
      className={`session-row status-${s.status}`}
      data-testid="session-row"
      data-session-id={s.id}
      data-status={s.status}
      tabIndex={0}
      role="link"
      aria-label={`${s.title}, ${s.status}`}
      onClick={() => navigate(sessionHref(s.id))}
      onKeyDown={(e) => {
        if (e.key === "Enter") navigate(sessionHref(s.id));
        else if (e.key === "ArrowDown") (e.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
        else if (e.key === "ArrowUp") (e.currentTarget.previousElementSibling as HTMLElement | null)?.focus();
      }}
    >
      <td className="col-status">
        <StatusBadge status={s.status} title={s.error ?? undefined} />
      </td>
      <TitleCell s={s} depth={depth} childCount={childCount} collapsed={collapsed} waiting={waiting} onToggle={onToggle} />
      <td className="col-engine">
        <EngineTag engine={s.engine} />
      </td>
      <td className="col-start" title={s.started_at}>
        {formatStart(s.started_at)} <span className="dim">{formatAgo(s.started_at, now)}</span>
      </td>
      <td className="col-num mono">{duration(s, now)}</td>
      <td className="col-num mono" title={s.span_count ? "Spans written so far" : "No span written yet"}>
        {s.span_count ? s.span_count.toLocaleString() : s.span_count === 0 && (s.status === "completed" || s.status === "failed") ? 0 : "–"}
      </td>
      <UsageCells s={s} />
    </tr>
  );
}
