import { describe, expect, it } from "vitest";
import { TraceModel } from "../trace/model";
import { rowId } from "../trace/table";
import { historyUpTo, rpcHistory, rpcRows } from "./rpcHistory";
import type { SpanRecord } from "./types";

const t = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString().replace(".000Z", ".000000Z");

/** An RPC call `n` sent at second `start`, answered at `end`. */
function call(n: number, start: number, end: number): SpanRecord {
  return {
    type: "span",
    trace_id: "1".repeat(32),
    span_id: n.toString(16).padStart(16, "0"),
    parent_span_id: null,
    name: "MCPAgentClientSession.send_request",
    start_time: t(start),
    end_time: t(end),
    status: { code: "OK" },
    attributes: { "mcp.rpc.method": "tools/call", "mcp.rpc.id": String(n), "mcp.rpc.request_json": `{"id":${n}}` },
  };
}

describe("protocol history a page at a time", () => {
  // four calls; call 1 is answered after calls 2 and 3 went out; a span that is not an RPC call
  const calls = [call(1, 0, 10), call(2, 2, 3), call(3, 4, 5), call(4, 20, 21)];
  const other: SpanRecord = { ...call(9, 1, 2), name: "workflow.run", attributes: {} };
  const m = new TraceModel();
  m.addRecords([calls[3], other, calls[1], calls[0], calls[2]]);
  const table = m.buildTable();

  it("lists the RPC rows by start time", () => {
    expect(rpcRows(table).map((i) => rowId(table, i))).toEqual(calls.map((c) => c.span_id));
  });

  it("shows the first page's messages up to the start of the first call not loaded, in order", () => {
    const rows = rpcRows(table);
    const cutoff = table.start[rows[2]]; // two calls loaded: call 3 starts at 4 s
    const page = historyUpTo(calls.slice(0, 2), cutoff).map((msg) => [msg.id, msg.kind]);
    expect(page).toEqual([
      ["1", "request"],
      ["2", "request"],
      ["2", "response"],
    ]); // call 1's answer (10 s) waits: call 3 goes out before it
    const all = historyUpTo(calls, Number.POSITIVE_INFINITY);
    expect(all).toEqual(rpcHistory(calls));
    expect(all.map((msg) => [msg.id, msg.kind])).toEqual([
      ["1", "request"],
      ["2", "request"],
      ["2", "response"],
      ["3", "request"],
      ["3", "response"],
      ["1", "response"],
      ["4", "request"],
      ["4", "response"],
    ]);
    // what a page shows is the start of the whole history
    expect(page).toEqual(all.slice(0, page.length).map((msg) => [msg.id, msg.kind]));
  });
});
