import { describe, expect, it } from "vitest";
import { TraceModel } from "../trace/model";
import type { SpanRecord } from "./types";
import { alignTrees } from "./compareTrees";
import { diffAttributes } from "./spanDiff";
import { rpcHistory } from "./rpcHistory";

let n = 0;
function span(name: string, parent: string | null, start: number, attributes: Record<string, unknown> = {}): SpanRecord {
  n += 1;
  const t = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString().replace(".000Z", ".000000Z");
  return {
    type: "span",
    trace_id: "1".repeat(32),
    span_id: n.toString(16).padStart(16, "0"),
    parent_span_id: parent,
    name,
    start_time: t(start),
    end_time: t(start + 1),
    status: { code: "OK" },
    attributes,
  };
}

function table(spans: SpanRecord[]) {
  const m = new TraceModel();
  m.addRecords(spans);
  return m.buildTable();
}

describe("compare", () => {
  it("aligns two trees by parent, name and rank, and keeps what one run has alone", () => {
    const ra = span("workflow.run", null, 0);
    const a = table([ra, span("llm.generate", ra.span_id, 1), span("tool.call", ra.span_id, 2), span("llm.generate", ra.span_id, 3)]);
    const rb = span("workflow.run", null, 0);
    const b = table([rb, span("llm.generate", rb.span_id, 1), span("llm.generate", rb.span_id, 2), span("llm.generate", rb.span_id, 3)]);
    const rows = alignTrees(a, b);
    expect(rows.map((r) => [r.name, r.depth, r.left >= 0, r.right >= 0])).toEqual([
      ["workflow.run", 0, true, true],
      ["llm.generate", 1, true, true],
      ["tool.call", 1, true, false],
      ["llm.generate", 1, true, true],
      ["llm.generate", 1, false, true],
    ]);
  });

  it("pairs spans by name when their labels differ between runs", () => {
    const a = table([span("workflow.run", null, 0, { "mcp.workflow.name": "Approval-1" })]);
    const b = table([span("workflow.run", null, 0, { "mcp.workflow.name": "Approval-2" })]);
    expect(alignTrees(a, b).map((r) => [r.left >= 0, r.right >= 0])).toEqual([[true, true]]);
  });

  it("names the attributes that differ", () => {
    const d = diffAttributes({ "mcp.llm.response_json": "a", "gen_ai.usage.input_tokens": 3, other: 1 }, { "mcp.llm.response_json": "b", "gen_ai.usage.input_tokens": 3 });
    expect(d.map((x) => x.key)).toEqual(["mcp.llm.response_json"]);
  });
});

describe("protocol history", () => {
  it("makes a request and a response per RPC span, and a notification alone, in time order", () => {
    const call = span("send_request", null, 5, {
      "mcp.rpc.method": "tools/call",
      "mcp.rpc.direction": "outbound",
      "mcp.rpc.id": "7",
      "mcp.rpc.request_json": '{"jsonrpc":"2.0","id":7,"method":"tools/call"}',
      "mcp.rpc.response_json": '{"jsonrpc":"2.0","id":7,"error":{"code":-1}}',
    });
    const note = span("send_notification", null, 1, { "mcp.rpc.method": "notifications/initialized", "mcp.rpc.direction": "outbound" });
    const inbound = span("tools/list", null, 3, { "mcp.rpc.method": "tools/list", "mcp.rpc.direction": "inbound", "mcp.rpc.id": "1" });
    const msgs = rpcHistory([call, note, inbound]);
    expect(msgs.map((m) => [m.kind, m.dir, m.method])).toEqual([
      ["notification", "out", "notifications/initialized"],
      ["request", "in", "tools/list"],
      ["response", "out", "tools/list"],
      ["request", "out", "tools/call"],
      ["error", "in", "tools/call"],
    ]);
    expect(msgs[4].durationMs).toBe(1000);
  });
});
