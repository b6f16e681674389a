import { describe, expect, it } from "vitest";
import type { SpanRecord, TraceRecord } from "../lib/types";
import { findRows, IN_LABEL, IN_NAME, IN_OTHER } from "./find";
import { TraceModel } from "./model";
import { parseText } from "./parse";
import { rowLabel, rowName } from "./table";

const T = "2026-11-23T17:00:00.000000Z";

function span(id: string, parent: string | null, name: string, attributes: Record<string, unknown>): SpanRecord {
  return {
    type: "span",
    trace_id: "a".repeat(32),
    span_id: id.padStart(16, "0"),
    parent_span_id: parent === null ? null : parent.padStart(16, "0"),
    name,
    start_time: T,
    end_time: T,
    status: { code: "OK", message: null },
    attributes,
  };
}

// spans as mcp-agent 0.2.6 names them and sets their attributes (its own tracing, not our instrumentation)
const SPANS: SpanRecord[] = [
  span("1", null, "Agent.finder.initialize", { "gen_ai.agent.name": "finder", server_names: ["filesystem"] }),
  span("2", "1", "MCPAggregator.call_tool", {
    "gen_ai.agent.name": "finder",
    "gen_ai.tool.name": "filesystem_list_directory",
    parsed_server_name: "filesystem",
    "arguments.path": "/tmp",
  }),
  span("3", "2", "MCPAgentClientSession.send_request", { "mcp.method.name": "tools/call", "mcp.tool.name": "list_directory" }),
  span("4", "1", "OpenAIAugmentedLLM.finder.generate", { "gen_ai.agent.name": "finder", "gen_ai.request.model": "gpt-4o-mini" }),
  span("5", "1", "tool.call", { "mcp.tool.name": "demo_add" }),
  span("6", "1", "plain", { other: "filesystem_list_directory is only in another attribute" }),
];

function tables(): [string, ReturnType<TraceModel["buildTable"]>][] {
  const parsed = new TraceModel();
  parsed.addRecords(SPANS);
  // the same spans read from file text (the lazily parsed path)
  const lazy = new TraceModel();
  lazy.addRecords(parseText(SPANS.map((s) => JSON.stringify(s)).join("\n") + "\n").records as TraceRecord[]);
  return [
    ["parsed", parsed.buildTable()],
    ["lazy", lazy.buildTable()],
  ];
}

describe("Find span", () => {
  for (const [how, t] of tables()) {
    const names = (q: string): string[] => {
      const m = findRows(t, q);
      const rows = Array.from({ length: t.n }, (_, i) => i).filter((i) => m.has(i));
      expect(m.count).toBe(rows.length);
      return rows.map((i) => rowName(t, i));
    };
    it(`matches the tool, model, agent, method and server on mcp-agent's own spans (${how})`, () => {
      expect(names("filesystem_list")).toEqual(["MCPAggregator.call_tool"]);
      expect(names("GPT-4O")).toEqual(["OpenAIAugmentedLLM.finder.generate"]);
      expect(names("tools/call")).toEqual(["MCPAgentClientSession.send_request"]);
      expect(names("filesystem")).toEqual(["MCPAggregator.call_tool"]);
      expect(names("finder")).toEqual(["Agent.finder.initialize", "MCPAggregator.call_tool", "OpenAIAugmentedLLM.finder.generate"]);
      expect(names("demo_add")).toEqual(["tool.call"]);
      expect(names("  ")).toEqual([]);
    });
    it(`tells where a row matches: its name or its label (${how})`, () => {
      const row = (name: string): number => Array.from({ length: t.n }, (_, i) => rowName(t, i)).indexOf(name);
      const where = (q: string, name: string): number => findRows(t, q).where(row(name));
      expect(where("finder", "Agent.finder.initialize") & IN_NAME).toBe(IN_NAME);
      expect(where("filesystem_list", "MCPAggregator.call_tool") & (IN_NAME | IN_LABEL)).toBe(IN_LABEL);
      expect(where("call_tool", "MCPAggregator.call_tool") & (IN_NAME | IN_LABEL)).toBe(IN_NAME);
      expect(where("filesystem_list", "plain")).toBe(0);
    });
    it(`gives the matching value of a row found by neither its name nor its label (${how})`, () => {
      const row = (name: string): number => Array.from({ length: t.n }, (_, i) => rowName(t, i)).indexOf(name);
      const m = findRows(t, "LIST_DIR");
      const rpc = row("MCPAgentClientSession.send_request"); // labelled "tools/call", found by its tool
      expect(m.where(rpc)).toBe(IN_OTHER);
      expect(m.value(rpc)).toBe("list_directory");
      expect(m.value(row("Agent.finder.initialize"))).toBe("");
      expect(findRows(t, "finder").value(row("plain"))).toBe("");
    });
    it(`labels those spans from their attributes (${how})`, () => {
      const label = (name: string): string => rowLabel(t, Array.from({ length: t.n }, (_, i) => rowName(t, i)).indexOf(name));
      expect(label("MCPAggregator.call_tool")).toBe("filesystem_list_directory");
      expect(label("MCPAgentClientSession.send_request")).toBe("tools/call");
      expect(label("OpenAIAugmentedLLM.finder.generate")).toBe("gpt-4o-mini");
      expect(label("Agent.finder.initialize")).toBe("finder");
      expect(label("tool.call")).toBe("demo_add");
      expect(label("plain")).toBe("");
    });
  }
});
