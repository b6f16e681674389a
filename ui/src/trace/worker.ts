// Web Worker: fetches the trace file (the browser undoes Content-Encoding: gzip), parses it as it streams,
// keeps the spans, and sends the page compact row tables; span details are sent on request only.
import { TraceReader } from "./reader";
import type { FromWorker, ToWorker } from "./protocol";

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const traceReader = new TraceReader();
let url = "";
let token: string | null = null;
let etag: string | null = null;
let loading = false;
let refreshQueued = false;
let loadStarted = 0;

function post(msg: FromWorker, transfer?: Transferable[]): void {
  scope.postMessage(msg, transfer);
}

function sendTable(done: boolean): void {
  const model = traceReader.model;
  const table = model.buildTable();
  const columns = [table.depth, table.parent, table.size, table.start, table.end, table.status, table.cat, table.label, table.search];
  const transfer = columns.map((a) => a.buffer);
  post(
    {
      type: "table",
      table,
      header: model.header,
      end: model.end,
      badLines: model.badLines,
      partialTail: model.partialTail,
      done,
      loadMs: performance.now() - loadStarted,
    },
    transfer,
  );
}

function errorText(status: number): string {
  if (status === 404) return "No trace file for this session yet.";
  if (status === 401) return "Token rejected: open a fresh link (printed by the app, or `mcp-agent-inspector url`).";
  if (status === 400) return "This session id is not valid.";
  if (status === 422) return "This trace file is broken: its row on the sessions page says what is wrong.";
  return `The trace could not be loaded (HTTP ${status}).`;
}

async function fetchTrace(first: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  if (token) headers["X-Inspector-Token"] = token;
  if (!first && etag) headers["If-None-Match"] = etag;
  let res: Response;
  try {
    res = await fetch(url, { headers, cache: "no-store", credentials: "same-origin" });
  } catch {
    post({ type: "error", status: 0, message: "Cannot reach the inspector to load the trace." });
    return;
  }
  if (res.status === 304) {
    post({ type: "unchanged" }); // the page may be waiting for a record to appear (see DebuggerPage)
    return;
  }
  if (!res.ok || !res.body) {
    post({ type: "error", status: res.status, message: errorText(res.status) });
    if (!first) sendTable(true);
    return;
  }
  etag = res.headers.get("ETag");
  const pass = traceReader.begin(first);
  const stream = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let sentFirst = !first;
  let lastProgress = performance.now();
  try {
    for (;;) {
      const { value, done } = await stream.read();
      if (done) break;
      pass.feed(value);
      if (!sentFirst && pass.model.spanCount > 0) {
        sentFirst = true;
        sendTable(false);
      } else if (first && performance.now() - lastProgress > 100) {
        lastProgress = performance.now();
        post({ type: "progress", spans: pass.model.spanCount, bytes: pass.position });
      }
    }
  } catch {
    // A live file can end mid-stream (a gzip stream without its trailer): keep what was read.
  }
  pass.finish();
  sendTable(true);
}

async function run(first: boolean): Promise<void> {
  if (loading) {
    refreshQueued = true;
    return;
  }
  loading = true;
  try {
    await fetchTrace(first);
  } finally {
    loading = false;
  }
  if (refreshQueued) {
    refreshQueued = false;
    await run(false);
  }
}

scope.onmessage = (ev: MessageEvent<ToWorker>): void => {
  const msg = ev.data;
  switch (msg.type) {
    case "load":
      url = msg.url;
      token = msg.token;
      etag = null;
      loadStarted = performance.now();
      void run(true);
      break;
    case "refresh":
      void run(false);
      break;
    case "live":
      for (const s of msg.started) traceReader.model.addSummary(s, false);
      for (const s of msg.ended) traceReader.model.addSummary(s, true);
      sendTable(!loading);
      break;
    case "detail": {
      const d = traceReader.model.detail(msg.id);
      post({ type: "detail", req: msg.req, id: msg.id, full: d?.full ?? null, started: d?.started ?? null });
      break;
    }
  }
};
