import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_BATCH, SpanFetcher } from "./spanFetcher";

const id = (n: number): string => n.toString(16).padStart(16, "0");
const record = (n: number, type = "span"): Record<string, unknown> => ({ type, span_id: id(n), name: `s${n}`, attributes: { n } });

interface Gateway {
  url: string;
  log: string[];
}

describe("SpanFetcher", () => {
  let server: Server | null = null;
  afterEach(() => {
    server?.close();
    server = null;
  });

  /** A gateway with spans 1..n (span 7 still running), with or without the batch route, answering `status` to
   * a batch when given. */
  async function serve(n: number, opts: { batch?: boolean; status?: number } = {}): Promise<Gateway> {
    const log: string[] = [];
    const records = new Map<string, Record<string, unknown>>();
    for (let i = 1; i <= n; i++) records.set(id(i), record(i, i === 7 ? "span_start" : "span"));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "", "http://x");
      log.push(url.pathname + url.search);
      res.setHeader("Content-Type", "application/json");
      if (url.pathname === "/trace/s1/spans" && opts.batch !== false) {
        if (opts.status) {
          res.statusCode = opts.status;
          res.end(JSON.stringify({ error: { code: "unauthorized", message: "no" } }));
          return;
        }
        const ids = (url.searchParams.get("ids") ?? "").split(",");
        if (ids.length > MAX_BATCH) {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: { code: "too_many_ids", message: "" } }));
          return;
        }
        const spans = Object.fromEntries(ids.filter((i) => records.has(i)).map((i) => [i, records.get(i)]));
        res.end(JSON.stringify({ spans, missing: ids.filter((i) => !records.has(i)) }));
        return;
      }
      const one = /^\/trace\/s1\/span\/([0-9a-f]{16})$/.exec(url.pathname);
      if (one && records.has(one[1])) {
        res.end(JSON.stringify(records.get(one[1])));
        return;
      }
      res.statusCode = url.pathname.endsWith("/spans") ? 400 : 404; // an older gateway: "s1/spans" is a bad id
      res.end(JSON.stringify({ error: { code: res.statusCode === 400 ? "invalid_session_id" : "not_found", message: "" } }));
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trace/s1`, log };
  }

  it("gathers the spans asked for together into a few batch requests", async () => {
    const gw = await serve(1000);
    const fetcher = new SpanFetcher(gw.url, () => ({}));
    const wanted = Array.from({ length: 900 }, (_, i) => i + 1);
    const got = await Promise.all(wanted.map((n) => fetcher.get(id(n))));
    expect(got.map((r) => r?.name)).toEqual(wanted.map((n) => `s${n}`));
    expect(got[6]?.type).toBe("span_start");
    expect(gw.log.every((l) => l.startsWith("/trace/s1/spans?ids="))).toBe(true);
    expect(gw.log.length).toBe(Math.ceil(900 / MAX_BATCH));
    // asked again: the last finished ones come from the cache, a running one is asked for again
    const before = gw.log.length;
    expect((await fetcher.get(id(900)))?.name).toBe("s900");
    expect(gw.log.length).toBe(before);
    expect((await fetcher.get(id(7)))?.type).toBe("span_start");
    expect(gw.log.slice(before)).toEqual([`/trace/s1/spans?ids=${id(7)}`]);
  });

  it("answers null for spans the gateway has not, and for ids that are not span ids (without asking)", async () => {
    const gw = await serve(3);
    const fetcher = new SpanFetcher(gw.url, () => ({}));
    const [a, b, c] = await Promise.all([fetcher.get(id(2)), fetcher.get(id(99)), fetcher.get("../../etc")]);
    expect(a?.name).toBe("s2");
    expect(b).toBeNull();
    expect(c).toBeNull();
    expect(gw.log).toEqual([`/trace/s1/spans?ids=${id(2)},${id(99)}`]);
  });

  it("asks one span at a time a gateway without the batch route", async () => {
    const gw = await serve(10, { batch: false });
    const fetcher = new SpanFetcher(gw.url, () => ({}));
    const got = await Promise.all([1, 2, 3, 42].map((n) => fetcher.get(id(n))));
    expect(got.map((r) => r?.name ?? null)).toEqual(["s1", "s2", "s3", null]);
    expect(gw.log[0]).toMatch(/^\/trace\/s1\/spans\?ids=/);
    expect(gw.log.slice(1).sort()).toEqual([1, 2, 3, 42].map((n) => `/trace/s1/span/${id(n)}`).sort());
    expect((await fetcher.get(id(4)))?.name).toBe("s4");
    expect(gw.log.at(-1)).toBe(`/trace/s1/span/${id(4)}`); // no batch tried again
  });

  it("answers null when the gateway refuses (not signed in), and keeps batching", async () => {
    const gw = await serve(10, { status: 401 });
    const fetcher = new SpanFetcher(gw.url, () => ({}));
    expect(await fetcher.get(id(1))).toBeNull();
    expect(await fetcher.get(id(2))).toBeNull();
    expect(gw.log).toEqual([`/trace/s1/spans?ids=${id(1)}`, `/trace/s1/spans?ids=${id(2)}`]);
  });
});
