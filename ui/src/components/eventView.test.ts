import { describe, expect, it } from "vitest";
import { eventView } from "./eventView";

describe("eventView", () => {
  it("shows a human's answer from a resume's payload", () => {
    const payload = JSON.stringify({ request_id: "__human_input___a_1", response: "teal", metadata: null });
    const v = eventView({ name: "session.resumed", time: "t", attributes: { signal_name: "__human_input___a_1", payload_json: payload } });
    expect(v.answer).toBe("teal");
    expect(v.action).toBeNull();
    expect(v.attributes.payload).toEqual({ request_id: "__human_input___a_1", response: "teal", metadata: null });
    expect(v.time).toBe("t");
  });

  it("shows an elicitation's content and action, and a declined one without an answer", () => {
    const accepted = eventView({ name: "session.resumed", attributes: { payload_json: '{"answer":"go ahead"}', action: "accept" } });
    expect(accepted.answer).toBe('{"answer":"go ahead"}');
    expect(accepted.action).toBe("accept");
    const declined = eventView({ name: "session.resumed", attributes: { payload_json: "null", action: "decline" } });
    expect(declined.answer).toBeNull();
    expect(declined.action).toBe("decline");
  });

  it("keeps a cut payload as text and leaves other events without an answer", () => {
    const cut = eventView({ name: "session.resumed", attributes: { payload_json: '{"text":"xxx' } });
    expect(cut.attributes.payload_json).toBe('{"text":"xxx');
    expect(cut.answer).toBe('{"text":"xxx');
    const paused = eventView({ name: "session.paused", attributes: { prompt: "Colour?", action: "accept" } });
    expect(paused.answer).toBeNull();
    expect(paused.action).toBeNull();
    expect(paused.attributes).toEqual({ prompt: "Colour?", action: "accept" });
  });
});
