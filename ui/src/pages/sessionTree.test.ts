import { describe, expect, it } from "vitest";
import type { SessionInfo } from "../lib/types";
import { applySessionEvent, sessionsStore } from "../lib/sessions";
import { matchesQuery, nestSessions } from "./sessionTree";

const s = (id: string, started: string, parent: string | null = null, title = id): SessionInfo => ({
  id,
  status: "completed",
  engine: "asyncio",
  title,
  started_at: `2026-11-23T17:00:${started}.000000Z`,
  parent_session_id: parent,
});

describe("session nesting", () => {
  it("nests children under their parent, newest first at every level", () => {
    const rows = nestSessions([s("aaaaaa", "01"), s("bbbbbb", "05"), s("cccccc", "06", "aaaaaa"), s("dddddd", "02", "aaaaaa")], () => true);
    expect(rows.map((r) => [r.session.id, r.depth])).toEqual([
      ["bbbbbb", 0],
      ["aaaaaa", 0],
      ["cccccc", 1],
      ["dddddd", 1],
    ]);
  });

  it("a filter keeps the parents of matching children", () => {
    const list = [s("aaaaaa", "01", null, "Orchestrator"), s("cccccc", "06", "aaaaaa", "ApprovalWorkflow")];
    const rows = nestSessions(list, (x) => matchesQuery(x, "approval"));
    expect(rows.map((r) => r.session.id)).toEqual(["aaaaaa", "cccccc"]);
  });
});

describe("session events", () => {
  it("SessionStarted → WaitingOnSignal → SignalReceived → SessionFinished", () => {
    let st = sessionsStore.get();
    const ev = (type: string, data: Record<string, unknown>) => ({ type, id: null, data });
    st = applySessionEvent(st, ev("SessionStarted", { session_id: "run-000001", engine: "asyncio", title: "Approval" }));
    expect(st.sessions["run-000001"].status).toBe("running");
    st = applySessionEvent(st, ev("WaitingOnSignal", { session_id: "run-000001", signal_name: "human_input_answer", prompt: "ok?", schema: null }));
    expect(st.sessions["run-000001"].status).toBe("paused");
    expect(st.waiting["run-000001"].prompt).toBe("ok?");
    st = applySessionEvent(st, ev("SignalReceived", { session_id: "run-000001" }));
    expect(st.sessions["run-000001"].status).toBe("running");
    st = applySessionEvent(st, ev("SessionFinished", { session_id: "run-000001", status: "completed" }));
    expect(st.sessions["run-000001"].status).toBe("completed");
    st = applySessionEvent(st, ev("StorageError", { path: "/x", message: "disk full" }));
    expect(st.problems.map((p) => p.kind)).toEqual(["storage"]);
  });

  it("SessionFinished of a session not listed makes no row (the list read after it brings the session whole)", () => {
    const ev = (type: string, data: Record<string, unknown>) => ({ type, id: null, data });
    const st = applySessionEvent(sessionsStore.get(), ev("SessionFinished", { session_id: "run-unlisted1", status: "completed" }));
    expect(st.sessions["run-unlisted1"]).toBeUndefined();
  });
});
