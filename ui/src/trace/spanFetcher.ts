// The full record of a span, fetched when the span is shown (GET /trace/{id}/span/{span_id}: the details pane,
// the visualizers, compare, protocol history), with a small LRU of finished records and a bound on requests in
// flight. A record still running (`span_start`) is not kept: it ends later.
import type { SpanRecord } from "../lib/types";

export const CACHE_SIZE = 128;
const IN_FLIGHT = 4;

export class SpanFetcher {
  private cache = new Map<string, SpanRecord>();
  private pending = new Map<string, Promise<SpanRecord | null>>();
  private queue: (() => void)[] = [];
  private active = 0;

  constructor(
    /** `…/trace/{id}` */
    private readonly traceUrl: string,
    private readonly headers: () => Record<string, string>,
  ) {}

  /** The span's record (finished or its start), or null when the gateway has none. */
  get(spanId: string): Promise<SpanRecord | null> {
    const hit = this.cache.get(spanId);
    if (hit) {
      this.cache.delete(spanId); // most recently used last
      this.cache.set(spanId, hit);
      return Promise.resolve(hit);
    }
    let p = this.pending.get(spanId);
    if (!p) {
      p = this.slot(() => this.fetch(spanId)).finally(() => this.pending.delete(spanId));
      this.pending.set(spanId, p);
    }
    return p;
  }

  /** Forget every record (the trace was read again from the start). */
  clear(): void {
    this.cache.clear();
  }

  private async slot<T>(run: () => Promise<T>): Promise<T> {
    if (this.active >= IN_FLIGHT) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await run();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  private async fetch(spanId: string): Promise<SpanRecord | null> {
    let res: Response;
    try {
      res = await fetch(`${this.traceUrl}/span/${encodeURIComponent(spanId)}`, {
        headers: this.headers(),
        cache: "no-store",
        credentials: "same-origin",
      });
      if (!res.ok) return null;
      const r = (await res.json()) as SpanRecord;
      if (!r || typeof r !== "object" || (r.type !== "span" && r.type !== "span_start")) return null;
      if (r.type === "span") {
        this.cache.set(spanId, r);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
      }
      return r;
    } catch {
      return null;
    }
  }
}
