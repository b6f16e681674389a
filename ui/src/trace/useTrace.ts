// The page side of the trace worker: one worker per open session, live SSE span summaries forwarded in
// 100 ms batches, the trace read again (what it grew by) when spans end, span details on request.
import { useCallback, useEffect, useRef, useState } from "react";
import { authStore, markRejected } from "../lib/auth";
import { apiUrl, token } from "../lib/config";
import { eventStream } from "../lib/sse";
import type { SessionEnd, SessionHeader, SpanRecord, SpanSummary } from "../lib/types";
import type { RowTable } from "./table";
import type { FromWorker, ToWorker } from "./protocol";

export interface SpanDetail {
  id: string;
  full: SpanRecord | null;
  started: SpanRecord | SpanSummary | null;
}

export interface TraceState {
  table: RowTable | null;
  header: SessionHeader | null;
  end: SessionEnd | null;
  loading: boolean;
  progress: number;
  error: string | null;
  errorStatus: number;
  partialTail: boolean;
  badLines: number;
  loadMs: number | null;
  /** See TableMessage.bytesIn. */
  bytesIn: number;
}

const INITIAL: TraceState = {
  table: null,
  header: null,
  end: null,
  loading: true,
  progress: 0,
  error: null,
  errorStatus: 0,
  partialTail: false,
  badLines: 0,
  loadMs: null,
  bytesIn: 0,
};

const REFRESH_MS = 1000;
/**
 * A session written by another process (a Temporal worker, an app whose files `serve` shows) sends this page no span
 * events: until its trace file says it ended, the trace is read again after this long, doubled (up to
 * POLL_MAX_MS) each time nothing changed.
 */
const POLL_MS = 2000;
const POLL_MAX_MS = 16000;

// One worker is started ahead of time so that opening a session does not wait for a worker to boot.
let spare: Worker | null = null;

function spawn(): Worker {
  return new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
}

/** Start a worker in the background (called once the app is idle). */
export function prewarmTraceWorker(): void {
  if (!spare && typeof Worker !== "undefined") spare = spawn();
}

function takeWorker(): Worker {
  const w = spare ?? spawn();
  spare = null;
  setTimeout(prewarmTraceWorker, 500);
  return w;
}

export function useTrace(sessionId: string): {
  state: TraceState;
  requestDetail: (id: string) => Promise<SpanDetail>;
  detailVersion: number;
  /** Read the file again soon (ETag: a 304 when nothing changed), e.g. for an ended span not written yet. */
  refresh: () => void;
} {
  const [state, setState] = useState<TraceState>(INITIAL);
  const [detailVersion, setDetailVersion] = useState(0);
  const workerRef = useRef<Worker | null>(null);
  const pending = useRef(new Map<number, (d: SpanDetail) => void>());
  const reqSeq = useRef(0);
  const refreshRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    setState(INITIAL);
    const worker = takeWorker();
    workerRef.current = worker;
    const send = (m: ToWorker): void => worker.postMessage(m);
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      if (m.type === "table") {
        const table = m.table;
        if (m.done) poll(m.end !== null ? "ended" : "grew");
        if (m.done && refreshSent) {
          refreshCost = performance.now() - refreshSent;
          refreshSent = 0;
        }
        setState((s) => ({
          ...s,
          table,
          header: m.header,
          end: m.end,
          loading: !m.done,
          error: table.n > 0 ? null : s.error,
          partialTail: m.partialTail,
          badLines: m.badLines,
          loadMs: m.done && s.loadMs === null ? m.loadMs : s.loadMs,
          bytesIn: m.bytesIn,
        }));
        if (m.done) setDetailVersion((v) => v + 1);
      } else if (m.type === "unchanged") {
        poll("same");
        if (refreshSent) {
          refreshCost = performance.now() - refreshSent;
          refreshSent = 0;
        }
        setDetailVersion((v) => v + 1);
      } else if (m.type === "progress") {
        setState((s) => ({ ...s, progress: m.spans }));
      } else if (m.type === "error") {
        // a 401: no more reads (no request that gets a 401 every few seconds); the page is read again once its
        // token is accepted (the token banner)
        if (m.status === 401) {
          refused = true;
          markRejected();
        }
        poll("same");
        setState((s) => ({ ...s, loading: false, error: m.message, errorStatus: m.status }));
      } else if (m.type === "detail") {
        const resolve = pending.current.get(m.req);
        pending.current.delete(m.req);
        resolve?.({ id: m.id, full: m.full, started: m.started });
      }
    };
    send({ type: "load", url: apiUrl(`/trace/${encodeURIComponent(sessionId)}`), token: token() });

    let refreshTimer: ReturnType<typeof setTimeout> | null = null;
    let lastRefresh = 0;
    let refreshSent = 0;
    let refreshCost = 0;
    const scheduleRefresh = (): void => {
      if (refreshTimer) return;
      // a big live trace costs more to re-read: wait at least three times what the last re-read took
      const interval = Math.max(REFRESH_MS, 3 * refreshCost);
      const wait = Math.max(0, interval - (Date.now() - lastRefresh));
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        lastRefresh = Date.now();
        refreshSent = performance.now();
        send({ type: "refresh" });
      }, wait);
    };
    let pollTimer: ReturnType<typeof setTimeout> | null = null;
    let pollWait = POLL_MS;
    /** After each read: read again later unless the file says the session ended (see POLL_MS). */
    let refused = false; // a read got a 401: no more until the page's token is accepted again
    function poll(read: "grew" | "same" | "ended"): void {
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = null;
      if (read === "ended" || refused) return;
      pollWait = read === "grew" ? POLL_MS : Math.min(POLL_MAX_MS, pollWait * 2);
      pollTimer = setTimeout(() => {
        pollTimer = null;
        scheduleRefresh();
      }, pollWait);
    }
    const offEvents = eventStream.onEvents((events) => {
      const started: SpanSummary[] = [];
      const ended: SpanSummary[] = [];
      let refresh = false;
      for (const ev of events) {
        if (ev.data.session_id !== sessionId) continue;
        const span = (ev.data.span ?? ev.data) as SpanSummary;
        if (ev.type === "SpanStarted") started.push(span);
        else if (ev.type === "SpanEnded") {
          ended.push(span);
          refresh = true;
        } else if (ev.type === "SessionFinished" || ev.type === "WaitingOnSignal" || ev.type === "SignalReceived") {
          refresh = true;
        }
      }
      if (started.length || ended.length) send({ type: "live", started, ended });
      if (refresh) scheduleRefresh();
    });
    refreshRef.current = scheduleRefresh;
    const offReopen = eventStream.onReopen(scheduleRefresh);
    let authState = authStore.get().state;
    const offAuth = authStore.subscribe(() => {
      const next = authStore.get().state;
      if (next === "ok" && authState !== "ok") {
        refused = false;
        send({ type: "token", token: token() });
        scheduleRefresh();
      }
      authState = next;
    });
    const pendingMap = pending.current;
    return () => {
      offEvents();
      offReopen();
      offAuth();
      if (refreshTimer) clearTimeout(refreshTimer);
      if (pollTimer) clearTimeout(pollTimer);
      worker.terminate();
      workerRef.current = null;
      refreshRef.current = () => undefined;
      pendingMap.clear();
    };
  }, [sessionId]);

  const requestDetail = useCallback((id: string): Promise<SpanDetail> => {
    const worker = workerRef.current;
    if (!worker) return Promise.resolve({ id, full: null, started: null });
    const req = ++reqSeq.current;
    return new Promise((resolve) => {
      pending.current.set(req, resolve);
      worker.postMessage({ type: "detail", id, req } satisfies ToWorker);
    });
  }, []);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { state, requestDetail, detailVersion, refresh };
}
