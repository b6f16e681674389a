// Web Worker: reads a trace's skeleton (skeletonLoader.ts; the live tail by Range) into a model that keeps compact
// rows only, fetches a span's full record when it is shown (spanFetcher.ts), and sends the page compact row
// tables. A gateway without the skeleton endpoints is read the older way, the whole file (wholeFile.ts).
import { TraceModel } from "./model";
import { wireTransfer, type FromWorker, type ToWorker } from "./protocol";
import { TraceReader } from "./reader";
import { addSkeletonText } from "./skeleton";
import { SkeletonLoader } from "./skeletonLoader";
import { SpanFetcher } from "./spanFetcher";
import { WholeFile } from "./wholeFile";

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** How the trace is read: decided by the first read that finds something. */
type Mode = "unknown" | "skeleton" | "whole";

let mode: Mode = "unknown";
let token: string | null = null;
let skeletonModel = new TraceModel(false);
let traceReader = new TraceReader();
let skeleton: SkeletonLoader | null = null;
let whole: WholeFile | null = null;
let spans: SpanFetcher | null = null;
let loading = false;
let refreshQueued = false;
let loadStarted = 0;
let firstPass = true;
let sentFirst = false;
let lastProgress = 0;
let lateTable: ReturnType<typeof setTimeout> | null = null;

const headers = (): Record<string, string> => (token ? { "X-Inspector-Token": token } : {});

function model(): TraceModel {
  return mode === "whole" ? traceReader.model : skeletonModel;
}

function post(msg: FromWorker, transfer?: Transferable[]): void {
  scope.postMessage(msg, transfer);
}

function sendTable(done: boolean): void {
  const m = model();
  const wire = m.buildWire();
  const transfer = wireTransfer(wire);
  post(
    {
      type: "table",
      table: wire,
      header: m.header,
      end: m.end,
      badLines: m.badLines,
      partialTail: m.partialTail,
      done,
      loadMs: performance.now() - loadStarted,
      bytesIn: (skeleton?.bytesIn ?? 0) + (whole?.bytesIn ?? 0),
    },
    transfer,
  );
}

function errorText(status: number): string {
  if (status === 0) return "Cannot reach the inspector to load the trace.";
  if (status === 404) return "No trace file for this session yet.";
  if (status === 401) return "Token rejected: open a fresh link (printed by the app, or `mcp-agent-inspector url`).";
  if (status === 400) return "This session id is not valid.";
  if (status === 422) return "This trace file is broken: its row on the sessions page says what is wrong.";
  return `The trace could not be loaded (HTTP ${status}).`;
}

function postError(status: number): void {
  post({ type: "error", status, message: errorText(status) });
}

/** Skeleton text arrived: parse it; the first rows go out at once, later text that arrives after a pass soon. */
function onSkeletonText(text: string, part: { carry: string }): void {
  part.carry = addSkeletonText(skeletonModel, text, part.carry);
  if (!sentFirst && skeletonModel.spanCount > 0) {
    sentFirst = true;
    sendTable(false);
  } else if (!loading && !lateTable) {
    lateTable = setTimeout(() => {
      lateTable = null;
      sendTable(true);
    }, 100);
  }
}

function onSkeletonProgress(): void {
  if (firstPass && performance.now() - lastProgress > 100) {
    lastProgress = performance.now();
    post({ type: "progress", spans: skeletonModel.spanCount, bytes: skeleton?.bytesIn ?? 0 });
  }
}

async function readSkeleton(): Promise<"done" | "absent"> {
  if (!skeleton) return "absent";
  const r = await skeleton.pass();
  if (r.kind === "absent" && mode === "skeleton") {
    postError(r.status); // read before: the file is gone, or the link's token no longer works
    sendTable(true);
    return "done";
  }
  if (r.kind === "absent") return "absent";
  if (r.kind === "error") {
    postError(r.status);
    if (mode === "skeleton") sendTable(true);
    return "done";
  }
  if (mode === "skeleton" && !r.grew) post({ type: "unchanged" }); // the page may be waiting for a record
  else sendTable(true);
  mode = "skeleton";
  return "done";
}

async function readWhole(): Promise<void> {
  if (!whole) return;
  const first = mode !== "whole";
  const result = await whole.read(first, {
    first: () => sendTable(false),
    progress: (n, bytes) => post({ type: "progress", spans: n, bytes }),
    error: (status) => postError(status),
    unchanged: () => post({ type: "unchanged" }), // the page may be waiting for a record to appear
  });
  if (result === "loaded") {
    mode = "whole";
    sendTable(true);
  } else if (result === "failed" && mode === "whole") sendTable(true);
}

async function readOnce(): Promise<void> {
  if (mode !== "whole") {
    if ((await readSkeleton()) === "done") return;
  }
  await readWhole();
}

async function run(): Promise<void> {
  if (loading) {
    refreshQueued = true;
    return;
  }
  loading = true;
  try {
    await readOnce();
  } finally {
    loading = false;
    firstPass = false;
  }
  if (refreshQueued) {
    refreshQueued = false;
    await run();
  }
}

function load(url: string): void {
  mode = "unknown";
  skeletonModel = new TraceModel(false);
  traceReader = new TraceReader();
  skeleton?.clear();
  skeleton = new SkeletonLoader(url, headers, {
    text: onSkeletonText,
    reset: () => {
      skeletonModel = new TraceModel(false);
      spans?.clear();
    },
    progress: onSkeletonProgress,
  });
  whole = new WholeFile(url, headers, traceReader);
  spans = new SpanFetcher(url, headers);
  loadStarted = performance.now();
  firstPass = true;
  sentFirst = false;
  void run();
}

async function detail(id: string, req: number): Promise<void> {
  const d = model().detail(id);
  let full = d?.full ?? null;
  let started = d?.started ?? null;
  if (d && d.finished && !full && spans) {
    let r = await spans.get(id);
    if (r?.type !== "span") {
      // the skeleton showed the span ended but the gateway answered its start or nothing: a live writer's locator
      // sidecar can be a batch behind its skeleton; ask once more a moment later
      await new Promise((resolve) => setTimeout(resolve, 250));
      r = (await spans.get(id)) ?? r;
    }
    if (r?.type === "span") full = r;
    else if (r) started = r;
  }
  post({ type: "detail", req, id, full, started });
}

scope.onmessage = (ev: MessageEvent<ToWorker>): void => {
  const msg = ev.data;
  switch (msg.type) {
    case "load":
      token = msg.token;
      load(msg.url);
      break;
    case "refresh":
      void run();
      break;
    case "token":
      token = msg.token;
      break;
    case "live":
      for (const s of msg.started) model().addSummary(s, false);
      for (const s of msg.ended) model().addSummary(s, true);
      sendTable(!loading);
      break;
    case "detail":
      void detail(msg.id, msg.req);
      break;
  }
};
