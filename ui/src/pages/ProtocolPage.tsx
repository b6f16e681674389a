import { useEffect, useMemo, useState } from "react";
import { JsonTree } from "../components/JsonTree";
import { sessionHref } from "../lib/router";
import { historyUpTo, rpcRows, type RpcMessage } from "../lib/rpcHistory";
import { formatDuration } from "../lib/time";
import type { SpanRecord } from "../lib/types";
import { rowId } from "../trace/table";
import { useTrace } from "../trace/useTrace";

/** RPC spans (a request and its response each) read at a time: a huge trace's history comes a page at a time */
export const PAGE_SPANS = 1000;
const ARROWS: Record<RpcMessage["dir"], string> = { out: "→", in: "←" };

function MessageRow({ m, t0, sessionId }: { m: RpcMessage; t0: number; sessionId: string }): JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr className={`rpc-row rpc-${m.kind}`} data-testid="rpc-message" data-kind={m.kind} data-dir={m.dir} data-method={m.method} onClick={() => setOpen(!open)}>
        <td className="mono dim">+{formatDuration(m.at - t0)}</td>
        <td className="mono" title={m.dir === "out" ? "sent by this process" : "received by this process"}>
          {ARROWS[m.dir]}
        </td>
        <td>{m.kind}</td>
        <td className="mono">{m.method}</td>
        <td className="mono dim">{m.id ?? ""}</td>
        <td>{m.server ?? ""}</td>
        <td className="col-num mono">{m.durationMs !== null ? formatDuration(m.durationMs) : ""}</td>
        <td>
          <a className="link-btn" href={sessionHref(sessionId, m.spanId)} onClick={(e) => e.stopPropagation()}>
            span
          </a>
        </td>
      </tr>
      {open && (
        <tr className="rpc-body" data-testid="rpc-body">
          <td colSpan={8}>{m.body === null ? <span className="dim">not recorded</span> : <JsonTree value={m.body} />}</td>
        </tr>
      )}
    </>
  );
}

/** Every JSON-RPC message of a session, in and out, in order, with timing. */
export function ProtocolPage({ sessionId }: { sessionId: string }): JSX.Element {
  const { state, requestDetail, detailVersion } = useTrace(sessionId);
  const [spans, setSpans] = useState<SpanRecord[] | null>(null);
  const [method, setMethod] = useState("");
  const [limit, setLimit] = useState(PAGE_SPANS);
  const table = state.table;
  const rows = useMemo(() => (table && !state.loading ? rpcRows(table) : []), [table, state.loading]);
  useEffect(() => {
    if (!table || state.loading) return;
    let cancelled = false;
    const ids = rows.slice(0, limit).map((i) => rowId(table, i)); // the worker asks for them in batches
    void Promise.all(ids.map((id) => requestDetail(id))).then((details) => {
      if (!cancelled) setSpans(details.map((d) => d.full ?? (d.started as SpanRecord | null)).filter((s): s is SpanRecord => !!s));
    });
    return () => {
      cancelled = true;
    };
  }, [table, state.loading, rows, limit, detailVersion, requestDetail]);
  const cutoff = table && limit < rows.length ? table.start[rows[limit]] : Number.POSITIVE_INFINITY;
  const messages = useMemo(() => (spans ? historyUpTo(spans, cutoff) : []), [spans, cutoff]);
  const shown = method ? messages.filter((m) => m.method.includes(method)) : messages;
  const t0 = table && Number.isFinite(table.t0) ? table.t0 : (messages[0]?.at ?? 0);
  return (
    <div className="page protocol-page" data-testid="protocol-page" data-session-id={sessionId}>
      <div className="toolbar">
        <h1 className="page-title">Protocol history</h1>
        <a className="tag" href={sessionHref(sessionId)}>
          ← {state.header?.title ?? sessionId}
        </a>
        <div className="toolbar-spacer" />
        <input className="search" type="search" placeholder="Filter by method" aria-label="Filter by method" data-testid="rpc-filter" value={method} onChange={(e) => setMethod(e.target.value)} />
        <span className="dim small" data-testid="rpc-count">
          {shown.length} message{shown.length === 1 ? "" : "s"}
          {limit < rows.length && ` (the first ${limit.toLocaleString()} of ${rows.length.toLocaleString()} calls)`}
        </span>
      </div>
      {state.error && <div className="banner banner-error">{state.error}</div>}
      {spans === null ? (
        <div className="empty-state">Loading…</div>
      ) : messages.length === 0 && limit >= rows.length ? (
        <div className="empty-state" data-testid="rpc-empty">No JSON-RPC message was recorded in this session.</div>
      ) : (
        <div className="table-wrap">
          <table className="table rpc-table" data-testid="rpc-table">
            <thead>
              <tr>
                <th>Time</th>
                <th />
                <th>Kind</th>
                <th>Method</th>
                <th>Id</th>
                <th>Server</th>
                <th className="col-num">Took</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.map((m, i) => (
                <MessageRow key={`${m.spanId}-${m.kind}-${i}`} m={m} t0={t0} sessionId={sessionId} />
              ))}
            </tbody>
          </table>
          {limit < rows.length && (
            <button type="button" className="link-btn" data-testid="rpc-more" onClick={() => setLimit(limit + PAGE_SPANS)}>
              Show the next {Math.min(PAGE_SPANS, rows.length - limit).toLocaleString()} calls
            </button>
          )}
        </div>
      )}
    </div>
  );
}
