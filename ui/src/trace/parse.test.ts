import { constants, createGzip, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import { finishParse, parseChunk, parseText } from "./parse";

/** Gzip bytes of a live file: everything written so far, sync-flushed, no trailer yet. */
async function liveGzip(parts: string[]): Promise<Buffer> {
  const gz = createGzip();
  const chunks: Buffer[] = [];
  gz.on("data", (c: Buffer) => chunks.push(c));
  for (const p of parts) {
    gz.write(p);
    await new Promise<void>((resolve) => gz.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  }
  return Buffer.concat(chunks);
}

describe("parse", () => {
  it("parses a gzipped fixture trace completely", () => {
    const lines = makeTraceLines({ spans: 50 });
    const text = gunzipSync(gzipSync(lines.join("\n") + "\n")).toString("utf8");
    const r = parseText(text);
    expect(r.badLines).toBe(0);
    expect(r.partialTail).toBe(false);
    expect(r.records).toHaveLength(lines.length);
    expect(r.records[0].type).toBe("session");
    expect(r.records.at(-1)?.type).toBe("session_end");
    expect(r.records.filter((x) => x.type === "span").length).toBe(r.records.filter((x) => x.type === "span_start").length);
  });

  it("carries a line split across chunks", () => {
    const text = '{"type":"session","id":"abcdef"}\n{"type":"span_start","span_id":"1"}\n';
    for (let cut = 1; cut < text.length; cut++) {
      const a = parseChunk(text.slice(0, cut));
      const b = parseChunk(text.slice(cut), a.carry);
      const end = finishParse(b.carry);
      expect([...a.records, ...b.records, ...end.records].map((r) => r.type)).toEqual(["session", "span_start"]);
      expect(a.badLines + b.badLines).toBe(0);
    }
  });

  it("reads a live gzip file whose last line is still being written", async () => {
    const lines = makeTraceLines({ spans: 20, running: true });
    const whole = lines.join("\n") + "\n";
    const cut = whole.length - 25; // inside the last line
    const gz = await liveGzip([whole.slice(0, 200), whole.slice(200, cut)]);
    // no gzip trailer: decode what was flushed, as a browser does for a growing file
    const text = gunzipSync(gz, { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8");
    expect(text).toBe(whole.slice(0, cut));
    const r = parseText(text);
    expect(r.partialTail).toBe(true);
    expect(r.badLines).toBe(0);
    expect(r.records).toHaveLength(lines.length - 1);
  });

  it("counts malformed lines instead of failing", () => {
    const r = parseText('{"type":"session","id":"x"}\nnot json\n{"no_type":1}\n{"type":"span_start","span_id":"a"}\n');
    expect(r.records).toHaveLength(2);
    expect(r.badLines).toBe(2);
  });
});

describe("lazy span lines", () => {
  it("parses only the head of finished spans and the whole record on demand", async () => {
    const { isLazy, materialize } = await import("./parse");
    const line = JSON.stringify({
      type: "span",
      trace_id: "a".repeat(32),
      span_id: "b".repeat(16),
      parent_span_id: null,
      name: "llm.generate",
      kind: "INTERNAL",
      start_time: "2026-11-23T17:00:00.000001Z",
      end_time: "2026-11-23T17:00:01.000001Z",
      status: { code: "OK", message: null },
      attributes: { "mcp.llm.prompt_json": '"hi, \\"attributes\\": {}"', "openinference.span.kind": "LLM" },
      events: [],
      links: [],
    });
    const r = parseText(`${line}\n`);
    const span = r.records[0];
    expect(span.type).toBe("span");
    if (span.type !== "span") throw new Error("expected a span");
    expect(isLazy(span)).toBe(true);
    expect(span.attributes).toBeUndefined();
    expect(span.status).toEqual({ code: "OK", message: null });
    expect(materialize(span)).toEqual(JSON.parse(line));
  });
});

describe("span_start lines", () => {
  it("read without JSON.parse give the same records, and odd shapes still parse", () => {
    const lines = makeTraceLines({ spans: 200 }).filter((l) => l.startsWith('{"type":"span_start"'));
    const odd = [
      '{"type":"span_start","trace_id":"t","span_id":"s1","parent_span_id":null,"name":"a \\"quoted\\" name","start_time":"2026-11-23T17:00:00Z"}',
      '{"type":"span_start","span_id":"s2","trace_id":"t","parent_span_id":"p","name":"reordered","start_time":"2026-11-23T17:00:00Z"}',
      '{"type":"span_start","trace_id":"t","span_id":"s3","parent_span_id":"p","name":"n","kind":"CLIENT","start_time":"2026-11-23T17:00:00Z","attributes":{"name":"x"}}',
      '{"type":"span_start","trace_id":"t","span_id":"s4","parent_span_id":"p","name":"n","kind":"SERVER","start_time":"2026-11-23T17:00:00Z"}',
    ];
    const all = [...lines, ...odd];
    const r = parseText(`${all.join("\n")}\n`);
    expect(r.badLines).toBe(0);
    expect(r.records).toHaveLength(all.length);
    r.records.forEach((rec, i) => {
      const expected = JSON.parse(all[i]) as Record<string, unknown>;
      for (const k of ["type", "trace_id", "span_id", "parent_span_id", "name", "start_time"]) {
        expect((rec as unknown as Record<string, unknown>)[k]).toEqual(expected[k]);
      }
    });
    expect((r.records.at(-1) as { kind?: string }).kind).toBe("SERVER");
  });
});

describe("span heads", () => {
  const head = (r: Record<string, unknown>) => {
    const { type, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status } = r;
    return { type, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status };
  };

  it("read without JSON.parse are the same as with it", () => {
    const lines = makeTraceLines({ spans: 2000 }).filter((l: string) => l.startsWith('{"type":"span'));
    const extra = [
      // an error message with escapes, a name with a quote: the JSON.parse path
      '{"type":"span","trace_id":"t","span_id":"s1","parent_span_id":null,"name":"a \\"b\\"","kind":"INTERNAL","start_time":"2026-01-01T00:00:00.000000Z","end_time":"2026-01-01T00:00:01.000000Z","status":{"code":"ERROR","message":"bad \\"x\\""},"attributes":{},"events":[],"links":[]}',
      // no kind, escapes only in the attributes: the fast path
      '{"type":"span","trace_id":"t","span_id":"s2","parent_span_id":"s1","name":"n","start_time":"2026-01-01T00:00:00.000000Z","end_time":"2026-01-01T00:00:01.000000Z","status":{"code":"OK","message":null},"attributes":{"a_json":"{\\"k\\":1}"},"events":[],"links":[]}',
      // another shape (keys in another order): JSON.parse
      '{"type":"span","span_id":"s3","trace_id":"t","parent_span_id":null,"name":"n","start_time":"2026-01-01T00:00:00.000000Z","end_time":"2026-01-01T00:00:01.000000Z","status":{"code":"UNSET"},"attributes":{}}',
    ];
    const all = [...lines, ...extra];
    const parsed = parseText(all.join("\n") + "\n");
    expect(parsed.badLines).toBe(0);
    expect(parsed.records).toHaveLength(all.length);
    parsed.records.forEach((r, i) => {
      expect(head(r as unknown as Record<string, unknown>)).toEqual(head(JSON.parse(all[i]) as Record<string, unknown>));
    });
  });
});
