import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { constants, createGzip } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import type { SpanRecord } from "../lib/types";
import { findRows } from "./find";
import { TraceModel } from "./model";
import { parseText } from "./parse";
import { PartStream } from "./partStream";
import { CUT_KEY, CUT_LIMIT, addSkeletonText, isCut, skeletonRecord } from "./skeleton";
import { SkeletonLoader } from "./skeletonLoader";
import { SpanFetcher } from "./spanFetcher";
import { rowId, rowName, type RowTable } from "./table";

/** The skeleton line of a trace-file line, by the contract's rules (CONTRACT-15 / docs/huge-traces.md). */
function skeletonLine(line: string, part = 0, offset = 0): string {
  const r = JSON.parse(line) as Record<string, unknown>;
  if (r.type !== "span" && r.type !== "span_start") return line;
  const attrs = r.attributes as Record<string, unknown> | undefined;
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      const n = Buffer.byteLength(JSON.stringify(v));
      if (n > CUT_LIMIT) attrs[k] = { [CUT_KEY]: n };
    }
  }
  if (Array.isArray(r.events)) r.events = r.events.length;
  if (Array.isArray(r.links)) r.links = r.links.length;
  if (r.type === "span") r.loc = [part, offset];
  return JSON.stringify(r);
}

/** What the page sees of a table, row by row. */
function rows(t: RowTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.n; i++) {
    const label = t.labelTexts[t.label[i]];
    const search = t.searchTexts[t.search[i]];
    out.push([rowId(t, i), rowName(t, i), t.depth[i], t.parent[i], t.start[i], t.end[i], t.status[i], t.cat[i], label, search].join("|"));
  }
  return out;
}

/** Gzip of `batches`, each sync-flushed (the writer's way); no trailer unless `end`. */
async function gzipBatches(batches: string[], end = false): Promise<Buffer[]> {
  const gz = createGzip();
  const chunks: Buffer[] = [];
  gz.on("data", (c: Buffer) => chunks.push(c));
  const out: Buffer[] = [];
  let seen = 0;
  for (const b of batches) {
    gz.write(b);
    await new Promise<void>((resolve) => gz.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    const all = Buffer.concat(chunks);
    out.push(all.subarray(seen));
    seen = all.length;
  }
  if (end) {
    await new Promise<void>((resolve) => gz.end(() => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    out.push(Buffer.concat(chunks).subarray(seen));
  }
  return out;
}

/** Wait for a condition (the decompressor runs on node's thread pool here), failing after 5 s. */
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in 5 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const fullModel = (lines: string[]): TraceModel => {
  const m = new TraceModel();
  m.addRecords(parseText(`${lines.join("\n")}\n`).records);
  return m;
};

describe("skeleton records", () => {
  it("keep short attributes and mark cut ones; the model keeps none of them", () => {
    const long = "x".repeat(500);
    const line = skeletonLine(
      JSON.stringify({
        type: "span",
        trace_id: "a".repeat(32),
        span_id: "b".repeat(16),
        parent_span_id: null,
        name: "MCPAggregator.call_tool",
        start_time: "2026-11-23T17:00:00.000000Z",
        end_time: "2026-11-23T17:00:01.000000Z",
        status: { code: "OK", message: null },
        attributes: { "gen_ai.tool.name": "filesystem_list_directory", "mcp.tool.output_json": long, "mcp.tool.name": long },
        events: [{ name: "e" }, { name: "f" }],
        links: [],
      }),
      3,
      4096,
    );
    const r = JSON.parse(line) as SpanRecord;
    expect(isCut(r.attributes?.["mcp.tool.output_json"])).toBe(true);
    expect(r.attributes?.["mcp.tool.output_json"]).toEqual({ [CUT_KEY]: long.length + 2 });
    expect(isCut(r.attributes?.["gen_ai.tool.name"])).toBe(false);
    // our exporter's shape (head read by position, attributes as text) and any other key order (JSON.parse)
    const { attributes, ...head } = r;
    const reordered = JSON.stringify({ attributes, ...head });
    for (const text of [line, reordered]) {
      const rec = skeletonRecord(text) as SpanRecord;
      expect(rec.span_id).toBe("b".repeat(16));
      expect(rec.name).toBe("MCPAggregator.call_tool");
      // a cut value is no label: the next key in the table labels the row; the key still categorizes it (tool)
      const m = new TraceModel(false);
      m.addRecord(rec);
      const t = m.buildTable();
      expect(t.labelTexts[t.label[0]]).toBe("filesystem_list_directory");
      expect(t.cat[0]).toBe(4);
      expect(t.end[0] - t.start[0]).toBe(1000);
      expect(m.detail("b".repeat(16))).toEqual({ finished: true, full: null, started: null });
    }
    expect(skeletonRecord("not json")).toBeNull();
    expect(skeletonRecord('{"no":"type"}')).toBeNull();
  });

  it("give the same rows, labels and Find results as the full trace, for every span of a 20k trace", () => {
    const lines = makeTraceLines({ spans: 20000 });
    const whole = fullModel(lines);
    const full = whole.buildTable();
    const m = new TraceModel(false);
    const carry = addSkeletonText(m, lines.map((l) => skeletonLine(l)).join("\n") + "\n", "");
    expect(carry).toBe("");
    const skel = m.buildTable();
    expect(skel.n).toBe(full.n);
    expect(rows(skel)).toEqual(rows(full));
    const found = (t: RowTable, q: string): number[] => {
      const m = findRows(t, q);
      return Array.from({ length: t.n }, (_, i) => i).filter((i) => m.has(i));
    };
    for (const q of ["demo_add", "tools/call", "researcher", "llm"]) expect(found(skel, q)).toEqual(found(full, q));
    expect(m.header).toEqual(whole.header);
    expect(m.end).toEqual(whole.end);
  }, 60_000);
});

describe("a part read as it grows", () => {
  it("decompresses appended bytes from where the last read stopped and ends equal to the whole file", async () => {
    const lines = makeTraceLines({ spans: 3000 }).map((l) => skeletonLine(l));
    const batches: string[] = [];
    for (let i = 0; i < lines.length; i += 97) batches.push(lines.slice(i, i + 97).join("\n") + "\n");
    const pieces = await gzipBatches(batches, true);
    const m = new TraceModel(false);
    let newlines = 0;
    const part = new PartStream((text, p) => {
      p.carry = addSkeletonText(m, text, p.carry);
      newlines += text.split("\n").length - 1;
    });
    let fed = 0;
    for (const [k, piece] of pieces.entries()) {
      // Range reads do not stop at batch ends: split each batch's bytes in two uneven reads
      const cut = Math.floor(piece.length / 3);
      await part.write(piece.subarray(0, cut));
      await part.write(piece.subarray(cut));
      fed += piece.length;
      expect(part.received).toBe(fed);
      if (k === 10) {
        // everything fed so far comes out, whole lines only (sync-flushed batches), before the part ends
        const expected = batches.slice(0, 11).join("").split("\n").length - 1;
        await until(() => newlines === expected);
        expect(part.carry).toBe("");
        expect(part.closed).toBe(false);
      }
    }
    await until(() => newlines === lines.length);
    expect(part.failed).toBe(false);
    expect(rows(m.buildTable())).toEqual(rows(fullModel(lines).buildTable()));
  }, 60_000);
});

describe("the skeleton endpoints, read by Range", () => {
  let server: Server | null = null;
  afterEach(() => {
    server?.close();
    server = null;
  });

  /** A gateway's skeleton and span endpoints over in-memory parts (the contract's shape). */
  async function serve(parts: Buffer[][], records: Map<string, unknown>): Promise<{ url: string; log: string[] }> {
    const log: string[] = [];
    server = createServer((req, res) => {
      const url = req.url ?? "";
      log.push(`${url} ${req.headers.range ?? ""}`);
      if (url === "/trace/s1/skeleton") {
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ format: 2, parts: parts.map((p, i) => ({ part: i, size: Buffer.concat(p).length, etag: `"${i}"` })) }));
        return;
      }
      const part = /^\/trace\/s1\/skeleton\/(\d+)$/.exec(url);
      if (part) {
        const body = Buffer.concat(parts[Number(part[1])]);
        const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
        res.setHeader("Content-Type", "application/gzip");
        if (range) {
          const from = Number(range[1]);
          if (from >= body.length) {
            res.statusCode = 416;
            res.end();
            return;
          }
          res.statusCode = 206;
          res.end(body.subarray(from));
        } else res.end(body);
        return;
      }
      const span = /^\/trace\/s1\/span\/([0-9a-f]+)$/.exec(url);
      if (span && records.has(span[1])) {
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify(records.get(span[1])));
        return;
      }
      res.statusCode = 404;
      res.end('{"error":"not_found"}');
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trace/s1`, log };
  }

  it("reads only what each part grew by, and the full record of a span on demand", async () => {
    const lines = makeTraceLines({ spans: 2000 });
    const skel = lines.map((l) => skeletonLine(l));
    const half = Math.floor(skel.length / 2);
    const part0 = await gzipBatches([skel.slice(0, 100).join("\n") + "\n", skel.slice(100, half).join("\n") + "\n"]);
    const parts: Buffer[][] = [part0.slice(0, 1)];
    const records = new Map<string, unknown>();
    for (const l of lines) {
      const r = JSON.parse(l) as SpanRecord;
      if (r.type === "span") records.set(r.span_id, r);
    }
    const { url, log } = await serve(parts, records);
    let model = new TraceModel(false);
    let resets = 0;
    const loader = new SkeletonLoader(url, () => ({}), {
      text: (text, p) => {
        p.carry = addSkeletonText(model, text, p.carry);
      },
      reset: () => {
        resets++;
        model = new TraceModel(false);
      },
      progress: () => undefined,
    });
    expect(await loader.pass()).toEqual({ kind: "ok", grew: true });
    const firstBytes = Buffer.concat(parts[0]).length;
    await until(() => model.spanCount > 0);
    // the part grows: the next pass asks for the new bytes only
    parts[0].push(part0[1]);
    const before = loader.bytesIn;
    expect(await loader.pass()).toEqual({ kind: "ok", grew: true });
    expect(log.filter((l) => l.includes("/skeleton/0"))).toEqual(["/trace/s1/skeleton/0 ", `/trace/s1/skeleton/0 bytes=${firstBytes}-`]);
    const manifestBytes = JSON.stringify({ format: 2, parts: [{ part: 0, size: 0, etag: '"0"' }] }).length + 10;
    expect(loader.bytesIn - before).toBeLessThanOrEqual(part0[1].length + manifestBytes);
    // a second part appears (rotation): read from its start
    const part1 = await gzipBatches([skel.slice(half).join("\n") + "\n"], true);
    parts.push(part1);
    expect(await loader.pass()).toEqual({ kind: "ok", grew: true });
    expect(await loader.pass()).toEqual({ kind: "ok", grew: false }); // nothing new: no part is read
    expect(log.filter((l) => l.includes("/skeleton/")).length).toBe(3);
    await until(() => model.end !== null && model.spanCount === fullModel(lines).spanCount);
    expect(rows(model.buildTable())).toEqual(rows(fullModel(lines).buildTable()));
    expect(resets).toBe(0);

    // the full record of a span, once (a small LRU), with its long attributes and events
    const fetcher = new SpanFetcher(url, () => ({}));
    const id = [...records.keys()][5];
    expect(await fetcher.get(id)).toEqual(records.get(id));
    expect(await fetcher.get(id)).toEqual(records.get(id));
    expect(log.filter((l) => l.includes("/span/")).length).toBe(1);
    expect(await fetcher.get("0".repeat(16))).toBeNull();

    // a part that shrank (the file was replaced) starts the read over
    parts[0] = [part0[0]];
    expect(await loader.pass()).toEqual({ kind: "ok", grew: true });
    expect(resets).toBe(1);
  }, 60_000);

  it("says the skeleton is absent on a 404 (an older gateway: the worker reads the whole file)", async () => {
    const { url } = await serve([], new Map());
    const loader = new SkeletonLoader(url.replace("/s1", "/other"), () => ({}), {
      text: () => undefined,
      reset: () => undefined,
      progress: () => undefined,
    });
    expect(await loader.pass()).toEqual({ kind: "absent", status: 404 });
  });
});
