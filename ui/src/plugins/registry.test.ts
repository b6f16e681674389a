// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { loadUiPlugins, visualizerFor, type Visualizer } from "./registry";

const span = { type: "span" as const, trace_id: "t", span_id: "s", parent_span_id: null, name: "workflow.run", start_time: "", attributes: { "mcp.workflow.type": "router" } };

describe("UI plugin visualizers", () => {
  it("inspector:init registers visualizers; the highest priority match wins; a throwing matcher never matches", async () => {
    const make = (id: string, priority: number, matches: Visualizer["matches"]): Visualizer => ({ id, priority, matches, render: () => undefined });
    window.addEventListener("inspector:init", (e) => {
      const { registerVisualizer } = (e as CustomEvent<{ registerVisualizer: (v: Visualizer) => void }>).detail;
      registerVisualizer(make("any-workflow", 1, (s) => s.name === "workflow.run"));
      registerVisualizer(make("router", 5, (s) => (s as typeof span).attributes?.["mcp.workflow.type"] === "router"));
      registerVisualizer(make("broken", 9, () => {
        throw new Error("bad plugin");
      }));
      registerVisualizer({ id: "invalid" } as unknown as Visualizer); // rejected, reported, no exception
    });
    await loadUiPlugins();
    expect(visualizerFor(span)?.id).toBe("router");
    expect(visualizerFor({ ...span, attributes: {} })?.id).toBe("any-workflow");
    expect(visualizerFor({ ...span, name: "tool.call", attributes: {} })).toBeNull();
  });
});
