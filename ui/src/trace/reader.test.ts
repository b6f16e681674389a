import { describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import { TraceReader } from "./reader";
import { STATUS_RUNNING } from "./table";

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function read(reader: TraceReader, text: string, size: number, fresh = false): number {
  const pass = reader.begin(fresh);
  for (const c of chunks(text, size)) pass.feed(c);
  pass.finish();
  return pass.parsedChars;
}

describe("TraceReader", () => {
  it("a re-read of a grown file parses only what was appended, and ends the running spans", () => {
    const lines = makeTraceLines({ spans: 300 });
    const whole = `${lines.join("\n")}\n`;
    const cut = whole.indexOf("\n", Math.floor(whole.length * 0.6)) + 30; // mid-line, like a live file
    const reader = new TraceReader();
    read(reader, whole.slice(0, cut), 997, true);
    expect(reader.model.partialTail).toBe(true);
    const before = reader.model.buildTable();
    expect(before.status.includes(STATUS_RUNNING)).toBe(true);

    const parsed = read(reader, whole, 4096);
    expect(parsed).toBeLessThan(whole.length - cut + 200); // the old part was skipped
    const after = reader.model.buildTable();
    const full = new TraceReader();
    read(full, whole, 65536, true);
    const expected = full.model.buildTable();
    expect(after.n).toBe(expected.n);
    expect(after.status.includes(STATUS_RUNNING)).toBe(false);
    expect(reader.model.end?.status).toBe("completed");
    expect(reader.model.partialTail).toBe(false);
  });

  it("a replaced file (different beginning) is parsed from the start into a fresh model", () => {
    const a = `${makeTraceLines({ spans: 50, sessionId: "first-session-01", seed: 1 }).join("\n")}\n`;
    const b = `${makeTraceLines({ spans: 20, sessionId: "other-session-02", seed: 2 }).join("\n")}\n`;
    const reader = new TraceReader();
    read(reader, a, 1000, true);
    expect(reader.model.header?.id).toBe("first-session-01");
    read(reader, b, 1000);
    expect(reader.model.header?.id).toBe("other-session-02");
    expect(reader.model.spanCount).toBeLessThanOrEqual(20);
  });
});
