import { describe, expect, it } from "vitest";
import { problemOfStorage, storageProblem } from "./storage";

describe("storage state", () => {
  it("is a banner while failing, with the path and message", () => {
    const p = problemOfStorage({ state: "failing", path: "/t/a.jsonl.gz", message: "No space left on device", since: "x" });
    expect(p).toEqual({
      key: "storage",
      kind: "storage",
      message: "Traces are not being saved (/t/a.jsonl.gz): No space left on device",
    });
  });

  it("is no banner when ok or unknown", () => {
    expect(problemOfStorage({ state: "ok" })).toBeNull();
    expect(problemOfStorage(undefined)).toBeNull();
  });

  it("says something without a path or message", () => {
    expect(storageProblem(null, null).message).toBe("Traces are not being saved: the trace files cannot be written");
  });
});
