import { describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import type { SpanRecord } from "../lib/types";
import { TraceModel } from "./model";
import { isLazy, materialize, parseChunk, parseText } from "./parse";
import { TextStore } from "./textStore";

describe("TextStore", () => {
  it("gives back every piece, sealed or not, across many chunks", () => {
    const store = new TextStore();
    const pieces: [number, string][] = [];
    for (let c = 0; c < 50; c++) {
      for (let i = 0; i < 100; i++) {
        const text = `chunk ${c} piece ${i} ${"é".repeat(i % 7)}`;
        pieces.push([store.add(text), text]);
      }
      if (c % 3 !== 2) store.seal(); // some chunks stay unsealed until read
      expect(store.get(pieces[pieces.length - 1][0])).toBe(pieces[pieces.length - 1][1]);
    }
    store.seal();
    expect(store.size).toBe(5000);
    for (const [ref, text] of pieces) expect(store.get(ref)).toBe(text);
    expect(store.get(-1)).toBe("");
    expect(store.get(5000)).toBe("");
  });
});

describe("span text kept in the store", () => {
  const base = {
    type: "span",
    trace_id: "a".repeat(32),
    span_id: "b".repeat(16),
    parent_span_id: "c".repeat(16),
    name: 'tool "x" \\ call',
    kind: "CLIENT",
    start_time: "2026-11-23T17:00:00.000001Z",
    end_time: "2026-11-23T17:00:01.000001Z",
    status: { code: "ERROR", message: "boom" },
    attributes: { "mcp.tool.input_json": '{"a": "\\"start_time\\":"}', n: 3 },
    events: [{ name: "exception", time: "2026-11-23T17:00:00.5Z", attributes: {} }],
    links: [],
  };
  const plain = { ...base, name: "llm.generate" }; // no escapes in the head: read without JSON.parse
  const variants: Record<string, unknown>[] = [
    plain,
    { ...plain, parent_span_id: null, status: "OK" },
    (({ kind: _k, ...rest }) => rest)(plain),
    { ...plain, status: { code: "UNSET" }, end_time: "2026-11-23T17:00:02Z" },
    base,
    { ...base, parent_span_id: null },
    (({ kind: _k, ...rest }) => rest)(base),
    { ...base, extra_head_field: 1 },
    { span_id: "d".repeat(16), type: "span", name: "reordered", start_time: base.start_time, attributes: {} },
  ];

  it("restores each record exactly, keys in order, whatever the head looks like", () => {
    for (const v of variants) {
      const line = JSON.stringify(v);
      const r = parseText(`${line}\n`).records[0] as SpanRecord;
      expect(isLazy(r)).toBe(line.startsWith('{"type":"span",')); // other shapes are parsed whole
      expect(JSON.stringify(materialize(r))).toBe(line);
    }
    const spaced = JSON.stringify(base, null, 1).replace(/\n/g, "");
    const r = parseText(`${spaced}\n`).records[0] as SpanRecord;
    expect(materialize(r)).toEqual(base);
  });

  it("a model gives the same details as parsing every line, for a whole fixture read in small chunks", () => {
    const lines = makeTraceLines({ spans: 400 });
    const text = `${lines.join("\n")}\n`;
    const m = new TraceModel();
    let carry = "";
    for (let i = 0; i < text.length; i += 777) {
      const r = parseChunk(text.slice(i, i + 777), carry, m.store);
      carry = r.carry;
      m.addRecords(r.records);
    }
    const spans = lines.map((l) => JSON.parse(l) as SpanRecord).filter((r) => r.type === "span");
    expect(spans.length).toBeGreaterThan(300);
    for (const s of spans) expect(JSON.stringify(m.detail(s.span_id)?.full)).toBe(JSON.stringify(s));
  });

  it("a span whose line disagrees with its start record keeps its own fields", () => {
    const m = new TraceModel();
    const start = '{"type":"span_start","trace_id":"t","span_id":"s1abcdefabcdef12","parent_span_id":"p","name":"n","start_time":"2026-11-23T17:00:00Z"}';
    const end = { ...base, span_id: "s1abcdefabcdef12", parent_span_id: null };
    m.addRecords(parseText(`${start}\n${JSON.stringify(end)}\n`).records);
    expect(m.detail("s1abcdefabcdef12")?.full).toEqual(end);
  });
});

describe("running spans", () => {
  it("keep their start record (copied when a table is built) until their end arrives", () => {
    const m = new TraceModel();
    const line = '{"type":"span_start","trace_id":"t","span_id":"r1abcdefabcdef12","parent_span_id":null,"name":"workflow.run","start_time":"2026-11-23T17:00:00.000001Z"}';
    m.addRecords(parseText(`${line}\n`).records);
    expect(m.detail("r1abcdefabcdef12")?.started).toEqual(JSON.parse(line));
    m.buildTable();
    expect(m.detail("r1abcdefabcdef12")?.started).toEqual(JSON.parse(line));
    expect(m.detail("r1abcdefabcdef12")?.full).toBeNull();
  });
});
