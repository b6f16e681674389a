import { describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import type { SpanRecord } from "../lib/types";
import { TraceModel } from "./model";
import { STATUS_ERROR, STATUS_OK, STATUS_RUNNING, findRow, rowId, rowLabel } from "./table";
import { parseText } from "./parse";

const T = "2026-11-23T17:00:00.000000Z";
const at = (ms: number): string => new Date(Date.parse(T) + ms).toISOString().replace("Z", "000Z");

function span(id: string, parent: string | null, start: number, end: number | null, extra: Partial<SpanRecord> = {}): SpanRecord {
  return {
    type: end === null ? "span_start" : "span",
    trace_id: "t".repeat(32),
    span_id: id,
    parent_span_id: parent,
    name: `span ${id}`,
    start_time: at(start),
    ...(end === null ? {} : { end_time: at(end), status: { code: "OK" }, attributes: {} }),
    ...extra,
  };
}

describe("tree building", () => {
  it("orders children by start time in pre-order with depth, parent and subtree size", () => {
    const m = new TraceModel();
    // written when they end: children first
    m.addRecords([span("c2", "root", 30, 40), span("c1", "root", 10, 20), span("g1", "c1", 11, 12), span("root", null, 0, 50)]);
    const t = m.buildTable();
    expect(Array.from({ length: t.n }, (_, i) => rowId(t, i))).toEqual(["root", "c1", "g1", "c2"]);
    expect([...t.depth]).toEqual([0, 1, 2, 1]);
    expect([...t.size]).toEqual([4, 2, 1, 1]);
    expect([...t.parent]).toEqual([-1, 0, 1, 0]);
    expect(t.t1 - t.t0).toBe(50);
  });

  it("shows a run_async Temporal run's workflow span under the caller's workflow.run (one tree for one run)", () => {
    const named = (id: string, parent: string | null, start: number, end: number, name: string): SpanRecord => ({ ...span(id, parent, start, end), name });
    const m = new TraceModel();
    m.addRecords([
      named("caller", "elsewhere", 0, 50, "workflow.run"), // its parent is in the caller's session
      named("act", "wf", 12, 20, "temporal.activity call_tool_task"),
      named("code", "wf", 11, 40, "workflow.run"),
      named("wf", null, 10, 45, "temporal.workflow TemporalAgentWorkflow"),
    ]);
    const t = m.buildTable();
    expect(Array.from({ length: t.n }, (_, i) => [rowId(t, i), t.depth[i]])).toEqual([
      ["caller", 0],
      ["wf", 1],
      ["code", 2],
      ["act", 2],
    ]);
    // two workflow.run roots: which run the workflow span belongs to is not known, it stays a root
    const two = new TraceModel();
    two.addRecords([named("r1", null, 0, 5, "workflow.run"), named("r2", null, 1, 6, "workflow.run"), named("w", null, 2, 7, "temporal.workflow X")]);
    expect([...two.buildTable().depth]).toEqual([0, 0, 0]);
  });

  it("shows span_start without span as running, and the end replaces it", () => {
    const m = new TraceModel();
    m.addRecords([span("root", null, 0, null), span("a", "root", 5, null)]);
    let t = m.buildTable();
    expect([...t.status]).toEqual([STATUS_RUNNING, STATUS_RUNNING]);
    expect(Number.isNaN(t.end[1])).toBe(true);
    m.addRecord(span("a", "root", 5, 9, { status: { code: "ERROR", message: "boom" } }));
    m.addRecord(span("a", "root", 5, null)); // a late duplicate start never undoes the end
    t = m.buildTable();
    expect(t.status[1]).toBe(STATUS_ERROR);
    expect(t.end[1] - t.start[1]).toBe(4);
  });

  it("merges SSE summaries and keeps orphans and cycles visible", () => {
    const m = new TraceModel();
    m.addSummary({ span_id: "x", parent_span_id: "missing", name: "llm.generate", start_time: at(0) }, false);
    m.addSummary({ span_id: "x", name: "llm.generate", start_time: at(0), end_time: at(7), status: "OK" }, true);
    m.addRecords([span("p", "q", 1, 2), span("q", "p", 1, 2)]);
    const t = m.buildTable();
    expect(t.n).toBe(3);
    const i = findRow(t, "x");
    expect(t.status[i]).toBe(STATUS_OK);
    expect(t.depth[i]).toBe(0);
  });

  it("builds a 20k-span fixture with every span reachable", () => {
    const m = new TraceModel();
    const records = parseText(makeTraceLines({ spans: 20000 }).join("\n")).records;
    m.addRecords(records);
    const t = m.buildTable();
    const written = records.filter((r) => r.type === "span").length;
    expect(Math.abs(written - 20000)).toBeLessThanOrEqual(2);
    expect(t.n).toBe(written);
    expect(t.size[0]).toBe(written);
    expect(t.status.includes(STATUS_RUNNING)).toBe(false);
    expect(m.end?.status).toBe("completed");
    // a correctness test, not a timing one: on a loaded 2-core machine the 20k build can pass vitest's 5 s default
  }, 60_000);
});

describe("categories", () => {
  it("are the same from parsed attributes and from unparsed text", async () => {
    const { categorize, categorizeText } = await import("./categories");
    const cases: [string, Record<string, unknown>][] = [
      ["Agent.x.call_tool", {}],
      ["custom", { "openinference.span.kind": "TOOL" }],
      ["ScriptedLLM.a.generate", { "gen_ai.request.model": "m" }],
      ["MCPAggregator.call_tool", { "mcp.rpc.method": "tools/call" }],
      ["whatever", { "mcp.workflow.type": "router" }],
      ["plain", { other: 1 }],
    ];
    for (const [name, attrs] of cases) {
      const raw = JSON.stringify({ attributes: attrs });
      expect(categorizeText(name, raw, raw.indexOf(":") + 1)).toBe(categorize(name, attrs));
    }
  });

  it("a Temporal workflow execution's span is a workflow", async () => {
    const { CATEGORIES, categorize } = await import("./categories");
    expect(CATEGORIES[categorize("temporal.workflow TemporalAgentWorkflow", { "temporal.workflow.type": "T" })]).toBe("workflow");
    expect(CATEGORIES[categorize("temporal.activity x", {})]).toBe("other");
  });
});

describe("row labels", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    // the key's text inside another attribute's JSON value (escaped quotes) is not the key
    ["tool.call", { "mcp.tool.input_json": '{"mcp.tool.name":"not this"}', "mcp.tool.name": "demo_add" }, "demo_add"],
    ["llm.generate", { "mcp.llm.model": "claude-3-5-haiku", "mcp.llm.provider": "anthropic" }, "claude-3-5-haiku"],
    ["MCPAgentClientSession.send_request", { "mcp.rpc.method": "tools/list" }, "tools/list"],
    ["workflow.run", { "mcp.workflow.type": "RouterWorkflow" }, "RouterWorkflow"],
    ["resource.fetch", { "mcp.resource.uri": 'demo://a "quoted" name' }, 'demo://a "quoted" name'],
    ["agent.call", { "mcp.agent.name": "x".repeat(200) }, `${"x".repeat(79)}…`],
    ["tool.call", {}, ""],
    ["Agent.x.call_tool", { "mcp.tool.name": "demo_add" }, "demo_add"], // mcp-agent's own spans: labelled from attributes too
    ["Agent.x.initialize", { "gen_ai.agent.name": "x", force: false }, "x"],
    ["Agent.x.shutdown", { force: false }, ""],
  ];

  it("are the same from unparsed text (lazy spans) and from parsed records", () => {
    for (const [name, attributes, label] of cases) {
      const line = JSON.stringify({ ...span("a", null, 0, 5), name, attributes });
      const lazy = new TraceModel();
      lazy.addRecords(parseText(`${line}\n`).records);
      const parsed = new TraceModel();
      parsed.addRecord({ ...span("a", null, 0, 5), name, attributes });
      expect(rowLabel(lazy.buildTable(), 0)).toBe(label);
      expect(rowLabel(parsed.buildTable(), 0)).toBe(label);
    }
  });

  it("come with the finished span, not with its start", () => {
    const m = new TraceModel();
    m.addRecord(span("a", null, 0, null, { name: "tool.call" }));
    expect(rowLabel(m.buildTable(), 0)).toBe("");
    m.addRecord(span("a", null, 0, 5, { name: "tool.call", attributes: { "mcp.tool.name": "demo_add" } }));
    expect(rowLabel(m.buildTable(), 0)).toBe("demo_add");
  });
});
