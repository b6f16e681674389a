import { describe, expect, it } from "vitest";
import { parseTime } from "../lib/time";
import { TraceModel, type LineSpan } from "./model";
import { SpanIds } from "./spanIds";
import { readSpanLine, readStartLine, timeAt } from "./spanLine";
import { STATUS_ERROR, STATUS_OK, STATUS_RUNNING, STATUS_UNSET } from "./table";

const head = (fields: Record<string, unknown>): string =>
  JSON.stringify({
    type: "span",
    trace_id: "a".repeat(32),
    span_id: "00000000000000b1",
    parent_span_id: "00000000000000a1",
    name: "tool.call",
    kind: "INTERNAL",
    start_time: "2026-11-23T17:00:00.000250Z",
    end_time: "2026-11-23T17:00:01.5Z",
    status: { code: "OK", message: null },
    attributes: { "mcp.tool.name": "demo" },
    ...fields,
  });

const blank = (): LineSpan => ({ slot: -1, parent: -1, name: "", start: 0, end: 0, status: 0, line: "", attrStart: 0 });

describe("a span line read in place", () => {
  it("reads our exporter's shape: slots, name, times as parseTime gives them, status, where attributes start", () => {
    const ids = new SpanIds();
    const out = blank();
    const line = head({});
    expect(readSpanLine(line, ids, out)).toBe(true);
    expect(out.slot).toBe(ids.slotOf("00000000000000b1", false));
    expect(out.parent).toBe(ids.slotOf("00000000000000a1", false));
    expect(out.name).toBe("tool.call");
    expect(out.start).toBe(parseTime("2026-11-23T17:00:00.000250Z"));
    expect(out.end).toBe(parseTime("2026-11-23T17:00:01.5Z"));
    expect(out.status).toBe(STATUS_OK);
    expect(line.slice(out.attrStart)).toBe('{"mcp.tool.name":"demo"}}');
    const root = blank();
    const { kind: _kind, ...noKind } = JSON.parse(head({ parent_span_id: null, status: { code: "ERROR", message: 'a "b"' } })) as Record<string, unknown>;
    expect(readSpanLine(JSON.stringify(noKind), ids, root)).toBe(false); // an escaped quote in the message: JSON.parse
    expect(readSpanLine(head({ parent_span_id: null, status: { code: "ERROR", message: "boom" } }), ids, root)).toBe(true);
    expect(root.parent).toBe(-1);
    expect(root.status).toBe(STATUS_ERROR);
    expect(readSpanLine(head({ status: { code: "STATUS_CODE_UNSET", message: null } }), ids, root)).toBe(true);
    expect(root.status).toBe(STATUS_UNSET);
  });

  it("leaves every other shape to the record path", () => {
    const ids = new SpanIds();
    const others = [
      head({ span_id: "not-a-hex-id" }),
      head({ parent_span_id: "ABCDEF0123456789" }),
      head({ name: 'say "hi"' }),
      head({ name: "tab\there" }),
      head({ status: { code: "ERROR", message: "line\nbreak" } }),
      head({ kind: "IN\\TERNAL" }),
      JSON.stringify({ type: "span_start", trace_id: "a", span_id: "00000000000000b1", parent_span_id: null, name: "x", start_time: "t" }),
      JSON.stringify({ attributes: {}, ...(JSON.parse(head({})) as object) }),
      head({}).replace(',"status"', ',"extra":1,"status"'),
      "",
      "not json",
    ];
    for (const line of others) expect(readSpanLine(line, ids, blank())).toBe(false);
  });

  it("reads every time as parseTime does, hour changes, odd digits and other forms included", () => {
    const times = [
      "2026-11-23T17:00:00.000250Z",
      "2026-11-23T17:59:59.999999Z",
      "2026-11-23T18:00:00Z",
      "2026-11-23T18:00:00.1Z",
      "2026-11-23T18:00:00.12345678Z",
      "2026-11-23T18:00:00.x00000Z",
      "2026-11-23T18:00:00+00:00",
      "2026-11-23 18:00:00Z",
      "2026-13-45T18:00:00.000000Z",
      "garbage",
      "",
    ];
    for (const t of times) {
      const line = `"${t}"`;
      const got = timeAt(line, 1, line.length - 1);
      expect(Object.is(got, parseTime(t)) || (Number.isNaN(got) && Number.isNaN(parseTime(t)))).toBe(true);
    }
  });
});

describe("a span_start line read in place", () => {
  const start = (fields: Record<string, unknown>, loc = ""): string => {
    const { kind, ...rest } = fields; // kind, when given, in its place before start_time
    const line = JSON.stringify({
      type: "span_start",
      trace_id: "a".repeat(32),
      span_id: "00000000000000c1",
      parent_span_id: "00000000000000a1",
      name: "llm.generate",
      ...(kind === undefined ? {} : { kind }),
      start_time: "2026-11-23T17:00:00.000250Z",
      ...rest,
    });
    return loc ? `${line.slice(0, -1)},"loc":${loc}}` : line;
  };

  it("reads the exporter's span_start and a skeleton's (with loc) as running, no attributes", () => {
    const ids = new SpanIds();
    for (const line of [start({}), start({ kind: "CLIENT" }), start({}, "[0,123456]"), start({ parent_span_id: null }, "[12,0]")]) {
      const out = blank();
      expect(readStartLine(line, ids, out)).toBe(true);
      expect(out.slot).toBe(ids.slotOf("00000000000000c1", false));
      expect(out.name).toBe("llm.generate");
      expect(out.start).toBe(parseTime("2026-11-23T17:00:00.000250Z"));
      expect(Number.isNaN(out.end)).toBe(true);
      expect(out.status).toBe(STATUS_RUNNING);
      expect(readSpanLine(line, ids, blank())).toBe(false);
    }
  });

  it("leaves every other shape to the record path", () => {
    const ids = new SpanIds();
    for (const line of [
      start({ attributes: { a: 1 } }),
      start({}, "[0]"),
      start({}, "[0,]"),
      start({}, "[,1]"),
      start({}, '[0,1],"x":1'),
      `${start({})} `,
      start({ name: 'a"b' }),
      head({}),
    ]) {
      expect(readStartLine(line, ids, blank())).toBe(false);
    }
  });

  it("keeps the line as the running span's start record, parsed when shown", () => {
    const m = new TraceModel(false);
    const line = start({ kind: "CLIENT" }, "[0,42]");
    expect(m.addSpanLine(line)).toBe(true);
    const t = m.buildTable();
    expect(t.n).toBe(1);
    expect(t.status[0]).toBe(STATUS_RUNNING);
    expect(m.detail("00000000000000c1")).toEqual({ finished: false, full: null, started: JSON.parse(line) });
    expect(m.addSpanLine(head({ span_id: "00000000000000c1", name: "llm.generate" }))).toBe(true);
    expect(m.detail("00000000000000c1")).toEqual({ finished: true, full: null, started: null });
    expect(m.addSpanLine(line)).toBe(true); // a late span_start never undoes an end
    expect(m.buildTable().status[0]).toBe(STATUS_OK);
  });
});
