import { describe, expect, it } from "vitest";
import { toMessages } from "./normalize";

describe("message normalization", () => {
  it("OpenAI chat with tool calls and tool results", () => {
    const msgs = toMessages(
      JSON.stringify([
        { role: "system", content: "be brief" },
        { role: "user", content: [{ type: "text", text: "weather?" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ]),
      "user",
    );
    expect(msgs.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
    expect(msgs[1].parts).toEqual([
      { kind: "text", text: "weather?" },
      { kind: "image", src: "data:image/png;base64,AAAA", mime: "image/png" },
    ]);
    expect(msgs[2].parts).toEqual([{ kind: "tool_call", id: "call_1", name: "lookup", args: { city: "Paris" } }]);
    expect(msgs[3].parts[0]).toMatchObject({ kind: "tool_result", id: "call_1", parts: [{ kind: "text", text: "sunny" }] });
  });

  it("Anthropic tool_use / tool_result blocks and MCP content", () => {
    const msgs = toMessages(
      [
        { role: "assistant", content: [{ type: "text", text: "checking" }, { type: "tool_use", id: "tu1", name: "add", input: { a: 1, b: 2 } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "tu1", is_error: true, content: [{ type: "text", text: "bad" }] }] },
        { role: "user", content: { type: "resource", resource: { uri: "demo://handbook", mimeType: "text/plain", text: "hello" } } },
        { role: "user", content: { type: "image", data: "BBBB", mimeType: "image/jpeg" } },
      ],
      "user",
    );
    expect(msgs[0].parts[1]).toEqual({ kind: "tool_call", id: "tu1", name: "add", args: { a: 1, b: 2 } });
    expect(msgs[1].parts[0]).toMatchObject({ kind: "tool_result", isError: true });
    expect(msgs[2].parts[0]).toEqual({ kind: "resource", uri: "demo://handbook", mime: "text/plain", text: "hello" });
    expect(msgs[3].parts[0]).toEqual({ kind: "image", src: "data:image/jpeg;base64,BBBB", mime: "image/jpeg" });
  });

  it("plain strings, the fork's {type,content} prompt and unknown objects", () => {
    expect(toMessages("hello", "user")).toEqual([{ role: "user", parts: [{ kind: "text", text: "hello" }] }]);
    expect(toMessages({ type: "text", content: "hi" }, "user")).toEqual([{ role: "user", parts: [{ kind: "text", text: "hi" }] }]);
    expect(toMessages({ foo: 1 }, "assistant")[0].parts[0]).toEqual({ kind: "json", value: { foo: 1 } });
    expect(toMessages(null, "user")).toEqual([]);
  });
});
