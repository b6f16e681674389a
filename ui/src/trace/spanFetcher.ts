// The full record of a span, fetched when the span is shown (the details pane, the visualizers, compare, protocol
// history), with a small LRU of finished records and a bound on requests in flight. The spans asked for within a
// few milliseconds go out together, GET /trace/{id}/spans?ids=a,b,... (at most MAX_BATCH a request): a view that
// shows many spans makes a few requests, not one per span. Against a gateway without that route it asks
// GET /trace/{id}/span/{span_id} one span at a time, as before. A record still running (`span_start`) is not
// kept: it ends later.
import type { SpanRecord } from "../lib/types";

export const CACHE_SIZE = 128;
/** span ids a batch request carries, at most (the gateway's bound) */
export const MAX_BATCH = 256;
const IN_FLIGHT = 4;
/** how long the first span asked for waits for others to join its request */
const GATHER_MS = 4;

const SPAN_ID = /^[0-9a-f]{16}$/;
/** the batch route's own 400s (the ids), which an older gateway never answers */
const OUR_400 = new Set(["missing_ids", "too_many_ids", "invalid_span_id"]);

type Resolve = (r: SpanRecord | null) => void;

export class SpanFetcher {
  private cache = new Map<string, SpanRecord>();
  private pending = new Map<string, Promise<SpanRecord | null>>();
  private waiting = new Map<string, Resolve>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private active = 0;
  private batches = true;

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
    if (!SPAN_ID.test(spanId)) return Promise.resolve(null); // the gateway has no span of such an id
    let p = this.pending.get(spanId);
    if (!p) {
      p = new Promise<SpanRecord | null>((resolve) => this.waiting.set(spanId, resolve)).finally(() => this.pending.delete(spanId));
      this.pending.set(spanId, p);
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.flush();
      }, GATHER_MS);
    }
    return p;
  }

  /** Forget every record (the trace was read again from the start). */
  clear(): void {
    this.cache.clear();
  }

  /** Send what waits, MAX_BATCH ids a request, while fewer than IN_FLIGHT requests are out. */
  private flush(): void {
    while (this.waiting.size > 0 && this.active < IN_FLIGHT) {
      const taken = [...this.waiting].slice(0, this.batches ? MAX_BATCH : 1);
      for (const [id] of taken) this.waiting.delete(id);
      this.active++;
      void this.send(new Map(taken)).finally(() => {
        this.active--;
        this.flush();
      });
    }
  }

  private async send(wanted: Map<string, Resolve>): Promise<void> {
    const found = this.batches ? await this.fetchBatch([...wanted.keys()]) : undefined;
    if (found === undefined) {
      for (const [id, resolve] of wanted) resolve(await this.fetchOne(id));
      return;
    }
    for (const [id, resolve] of wanted) resolve(this.keep(id, found[id]));
  }

  /** The records of `ids` by id (an id the gateway has no span of is absent), or undefined when the gateway has
   * no batch route (an older one: one request a span from now on). */
  private async fetchBatch(ids: string[]): Promise<Record<string, unknown> | undefined> {
    try {
      const res = await fetch(`${this.traceUrl}/spans?ids=${ids.join(",")}`, this.init());
      if (res.ok) {
        const body = (await res.json()) as { spans?: Record<string, unknown> } | null;
        return body && typeof body.spans === "object" && body.spans ? body.spans : {};
      }
      const code = await errorCode(res);
      // an older gateway: its /trace/{id} route takes "{id}/spans" for a bad session id (400), or knows no route
      const noRoute = res.status === 405 || (res.status === 404 && code !== "not_found") || (res.status === 400 && !OUR_400.has(code ?? ""));
      if (!noRoute) return {}; // no trace file (yet), not signed in: nothing, as a single span's request gives
      this.batches = false;
      return undefined;
    } catch {
      return {};
    }
  }

  private async fetchOne(spanId: string): Promise<SpanRecord | null> {
    try {
      const res = await fetch(`${this.traceUrl}/span/${encodeURIComponent(spanId)}`, this.init());
      return res.ok ? this.keep(spanId, await res.json()) : null;
    } catch {
      return null;
    }
  }

  /** `r` when it is a record of the span (cached when finished), else null. */
  private keep(spanId: string, r: unknown): SpanRecord | null {
    const rec = r as SpanRecord | null | undefined;
    if (!rec || typeof rec !== "object" || (rec.type !== "span" && rec.type !== "span_start") || rec.span_id !== spanId) return null;
    if (rec.type === "span") {
      this.cache.set(spanId, rec);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    }
    return rec;
  }

  private init(): RequestInit {
    return { headers: this.headers(), cache: "no-store", credentials: "same-origin" };
  }
}

async function errorCode(res: Response): Promise<string | null> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown } } | null;
    return typeof body?.error?.code === "string" ? body.error.code : null;
  } catch {
    return null;
  }
}
