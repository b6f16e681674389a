import { describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import type { SpanRecord } from "../lib/types";
import { spanLabels, textLabels } from "./labels";

const objectLabels = (name: string, attributes: Record<string, unknown>) =>
  spanLabels(name, { type: "span", trace_id: "t", span_id: "s", name, start_time: "", attributes } as SpanRecord);

describe("labels read from attribute text", () => {
  it("equal the labels of the parsed attributes, for every span of a fixture and for odd values", () => {
    const cases: [string, Record<string, unknown>][] = [];
    for (const line of makeTraceLines({ spans: 3000 })) {
      const r = JSON.parse(line) as SpanRecord;
      if (r.type === "span" && r.attributes) cases.push([r.name, r.attributes]);
    }
    const long = "m".repeat(120);
    cases.push(
      ["tool.call", { "mcp.tool.name": 'say "hi"\n', "gen_ai.tool.name": 'say "hi"\n' }],
      ["MCPAgentClientSession.send_request", { "mcp.rpc.server_name": "fs", "mcp.method.name": "tools/call", "request.params.name": "fs" }],
      ["x", { "gen_ai.request.model": long, "mcp.agent.name": "", "server_name": "s", uri: 3 }],
      ["x", { "mcp.agent.name": "", "gen_ai.agent.name": "writer" }],
      ["x", { "not.a.key": "v", list: ["mcp.tool.name", "inner"] }],
      ["agent.call", { "mcp.agent.name": "é ✓ \u0001", "gen_ai.agent.name": "other" }],
      ["x", {}],
    );
    expect(cases.length).toBeGreaterThan(1000);
    for (const [name, attrs] of cases) {
      const text = `{"a":1,"attributes":${JSON.stringify(attrs)}}`;
      expect(textLabels(name, text, text.indexOf('"attributes":'))).toEqual(objectLabels(name, attrs));
    }
  });
});
