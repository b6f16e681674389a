import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../trace/categories";
import { STATUS_ERROR, STATUS_OK, STATUS_RUNNING, type RowTable } from "../trace/table";
import { tableStats } from "./tableStats";

function table(rows: [string, string, number][]): RowTable {
  const names = [...new Set(rows.map((r) => r[0]))];
  return {
    n: rows.length,
    nameIndex: Int32Array.from(rows, (r) => names.indexOf(r[0])),
    nameTexts: names,
    cat: Uint8Array.from(rows, (r) => CATEGORIES.indexOf(r[1] as (typeof CATEGORIES)[number])),
    status: Uint8Array.from(rows, (r) => r[2]),
  } as unknown as RowTable;
}

describe("table stats", () => {
  it("counts canonical llm.generate / tool.call spans once per call, errors, and whether a span runs", () => {
    const t = table([
      ["llm.generate", "llm", STATUS_OK],
      ["OpenAIAugmentedLLM.generate", "llm", STATUS_OK], // the same call seen by mcp-agent's own span
      ["tool.call", "tool", STATUS_ERROR],
      ["MCPAggregator.call_tool", "tool", STATUS_RUNNING],
    ]);
    expect(tableStats(t)).toEqual({ errors: 1, llm: 1, tools: 1, running: true });
    expect(tableStats(t)).toBe(tableStats(t)); // one pass per table
  });

  it("counts spans of the kind when there are no canonical spans", () => {
    const t = table([
      ["OpenAIAugmentedLLM.generate", "llm", STATUS_OK],
      ["Agent.call_tool", "tool", STATUS_OK],
      ["Agent.call_tool", "tool", STATUS_OK],
    ]);
    expect(tableStats(t)).toEqual({ errors: 0, llm: 1, tools: 2, running: false });
  });
});
