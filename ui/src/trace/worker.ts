// Web Worker: fetches the trace file (the browser undoes Content-Encoding: gzip), parses it as it streams,
// keeps the spans, and sends the page compact row tables; span details are sent on request only.
import { finishParse, parseChunk } from "./parse";
import { TraceModel } from "./model";
import type { FromWorker, ToWorker } from "./protocol";

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let model = new TraceModel();
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
  const table = model.buildTable();
  const transfer = [table.depth, table.parent, table.size, table.start, table.end, table.status, table.cat].map(
    (a) => a.buffer,
  );
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
  if (status === 401) return "The inspector token is missing or wrong. Open the URL printed by the app.";
  if (status === 400) return "This session id is not valid.";
  return `The trace could not be loaded (HTTP ${status}).`;
}

// A live file only grows: a re-read skips the text already parsed (the first PREFIX characters must match,
// else the file was replaced and everything is parsed again).
const PREFIX = 256;
let consumed = 0;
let prefix = "";

async function fetchTrace(first: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  if (token) headers["X-Inspector-Token"] = token;
  if (!first && etag) headers["If-None-Match"] = etag;
  let res: Response;
  try {
    res = await fetch(url, { headers, cache: "no-store" });
  } catch {
    post({ type: "error", status: 0, message: "Cannot reach the inspector to load the trace." });
    return;
  }
  if (res.status === 304) return;
  if (!res.ok || !res.body) {
    post({ type: "error", status: res.status, message: errorText(res.status) });
    if (!first) sendTable(true);
    return;
  }
  etag = res.headers.get("ETag");
  let target = model;
  let skip = first ? 0 : consumed;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let carry = "";
  let pos = 0;
  let head = "";
  let sentFirst = !first;
  let replaced = false;
  let lastProgress = performance.now();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (head.length < PREFIX) {
        head += value.slice(0, PREFIX - head.length);
        if (skip > 0 && !prefix.startsWith(head) && !head.startsWith(prefix)) {
          // not the file we parsed before (replaced, not appended to): parse it from the start
          target = model = new TraceModel();
          skip = 0;
          replaced = pos > 0; // the few characters already skipped are lost: the next re-read starts over
        }
      }
      const start = pos;
      pos += value.length;
      if (pos <= skip) continue;
      const r = parseChunk(start < skip ? value.slice(skip - start) : value, carry);
      carry = r.carry;
      target.badLines += r.badLines;
      target.addRecords(r.records);
      if (!sentFirst && target.spanCount > 0) {
        sentFirst = true;
        sendTable(false);
      } else if (first && performance.now() - lastProgress > 100) {
        lastProgress = performance.now();
        post({ type: "progress", spans: target.spanCount, bytes: pos });
      }
    }
  } catch {
    // A live file can end mid-stream (a gzip stream without its trailer): keep what was read.
  }
  prefix = replaced ? "" : head;
  consumed = replaced ? 0 : Math.max(skip, pos - carry.length);
  const tail = finishParse(carry);
  target.addRecords(tail.records);
  target.partialTail = tail.partialTail;
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
      consumed = 0;
      prefix = "";
      loadStarted = performance.now();
      model = new TraceModel();
      void run(true);
      break;
    case "refresh":
      void run(false);
      break;
    case "live":
      for (const s of msg.started) model.addSummary(s, false);
      for (const s of msg.ended) model.addSummary(s, true);
      sendTable(!loading);
      break;
    case "detail": {
      const d = model.detail(msg.id);
      post({ type: "detail", req: msg.req, id: msg.id, full: d?.full ?? null, started: d?.started ?? null });
      break;
    }
  }
};
