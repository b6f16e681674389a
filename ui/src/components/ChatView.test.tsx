// @vitest-environment jsdom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { toMessages } from "../messages/normalize";
import { ChatView } from "./ChatView";
import { contextView, jsonAttributes } from "./inspectorData";

afterEach(cleanup);

describe("ChatView", () => {
  it("renders roles, multi-part content, tool calls and tool results", () => {
    const messages = toMessages(
      [
        { role: "user", content: [{ type: "text", text: "What is 2+2?" }, { type: "resource", resource: { uri: "demo://handbook", text: "rules" } }] },
        { role: "assistant", content: "calling", tool_calls: [{ id: "c1", function: { name: "add", arguments: '{"a":2,"b":2}' } }] },
        { role: "tool", tool_call_id: "c1", content: "4" },
      ],
      "user",
    );
    const { container, getAllByTestId, getByText } = render(<ChatView messages={messages} />);
    expect(getAllByTestId("chat-message").map((e) => e.dataset.role)).toEqual(["user", "assistant", "tool"]);
    expect(getByText("What is 2+2?")).toBeTruthy();
    expect(getAllByTestId("part-resource")[0].textContent).toContain("demo://handbook");
    expect(getAllByTestId("part-tool-call")[0].textContent).toContain("add");
    expect(getAllByTestId("part-tool-result")[0].textContent).toContain("4");
    expect(container.querySelector(".json-tree")?.textContent).toContain("a");
  });
});

describe("inspector data", () => {
  it("lists *_json attributes with the truncated flag, state first", () => {
    const items = jsonAttributes({
      "mcp.tool.input_json": '{"x":1}',
      "mcp.state.plan_json": '{"steps":[]',
      "mcp.state.plan_json_truncated": true,
      "mcp.tool.name": "add",
    });
    expect(items.map((i) => [i.key, i.valid, i.truncated])).toEqual([
      ["mcp.state.plan_json", false, true],
      ["mcp.tool.input_json", true, false],
    ]);
  });

  it("context of an LLM span and of a tool span", () => {
    const llm = contextView({ "mcp.llm.prompt_json": '"hi"', "mcp.llm.response_json": '[{"role":"assistant","content":"hello"}]', "gen_ai.usage.input_tokens": 3 });
    expect(llm.kind).toBe("llm");
    expect(llm.response[0].parts[0]).toEqual({ kind: "text", text: "hello" });
    expect(llm.inputTokens).toBe(3);
    const tool = contextView({ "mcp.tool.name": "add", "mcp.tool.input_json": '{"a":1}', "mcp.tool.output_json": '{"isError":true,"content":[{"type":"text","text":"no"}]}' });
    expect(tool.kind).toBe("tool");
    expect(tool.prompt[0].parts[0]).toMatchObject({ kind: "tool_call", name: "add", args: { a: 1 } });
    expect(tool.response[0].parts[0]).toMatchObject({ kind: "tool_result", isError: true, parts: [{ kind: "text", text: "no" }] });
  });
});
