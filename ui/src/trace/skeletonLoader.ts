// Reads a trace's skeleton (GET /trace/{id}/skeleton: the manifest of parts; GET /trace/{id}/skeleton/{part}: one
// part's stream) into a model, and on every later pass only what each part grew by (Range from the last offset),
// so a live session costs bytes in proportion to its growth. A part that shrank or vanished (the file was
// replaced) starts the read over.
import { PartStream } from "./partStream";
import { yieldToTasks } from "./taskYield";

export interface ManifestPart {
  part: number;
  size: number;
  etag?: string;
}

export type PassResult =
  /** `grew`: some part had new bytes (else nothing changed since the last pass) */
  | { kind: "ok"; grew: boolean }
  /**
   * no skeleton was read: an older gateway (its /trace/{id:path} route answers 400 or 404), no trace file yet, or
   * an error GET /trace/{id} answers the same way (it says which, in words)
   */
  | { kind: "absent"; status: number }
  | { kind: "error"; status: number };

export interface SkeletonSink {
  /** Decoded text of one part, in order (see skeleton.addSkeletonText). */
  text(text: string, part: PartStream): void;
  /** Everything read before is void: the parts are read again from their start. */
  reset(): void;
  /** Some bytes arrived (for progress). */
  progress(): void;
}

function manifestParts(body: unknown): ManifestPart[] | null {
  const parts = (body as { parts?: unknown } | null)?.parts;
  if (!Array.isArray(parts)) return null;
  const out: ManifestPart[] = [];
  for (const p of parts as Partial<ManifestPart>[]) {
    if (typeof p?.part !== "number" || typeof p.size !== "number") return null;
    out.push({ part: p.part, size: p.size, etag: p.etag });
  }
  return out.sort((a, b) => a.part - b.part);
}

export class SkeletonLoader {
  /** Bytes received from the skeleton endpoints (the manifest and the parts' streams). */
  bytesIn = 0;
  private parts = new Map<number, PartStream>();

  constructor(
    /** `…/trace/{id}` */
    private readonly traceUrl: string,
    private readonly headers: () => Record<string, string>,
    private readonly sink: SkeletonSink,
  ) {}

  /** Forget every part (a fresh read follows). */
  clear(): void {
    for (const p of this.parts.values()) p.cancel();
    this.parts = new Map();
  }

  /** Read the manifest, then each part from where the last pass stopped. */
  async pass(): Promise<PassResult> {
    let res: Response;
    try {
      res = await fetch(`${this.traceUrl}/skeleton`, { headers: this.headers(), cache: "no-store", credentials: "same-origin" });
    } catch {
      return { kind: "error", status: 0 };
    }
    if (!res.ok) return { kind: "absent", status: res.status };
    const text = await res.text();
    this.bytesIn += text.length;
    let parts: ManifestPart[] | null;
    try {
      parts = manifestParts(JSON.parse(text));
    } catch {
      parts = null;
    }
    if (parts === null) return { kind: "absent", status: res.status };
    const listed = new Set(parts.map((p) => p.part));
    const replaced = [...this.parts.keys()].some((k) => !listed.has(k)) || parts.some((p) => p.size < (this.parts.get(p.part)?.received ?? 0));
    if (replaced) {
      this.clear();
      this.sink.reset();
    }
    let grew = replaced;
    for (const p of parts) {
      let stream = this.parts.get(p.part);
      if (!stream) {
        stream = new PartStream((t, s) => this.sink.text(t, s));
        this.parts.set(p.part, stream);
      }
      if (p.size > stream.received) {
        grew = true;
        const status = await this.readPart(p.part, stream);
        if (status !== 0) return { kind: "error", status };
      }
    }
    for (const s of this.parts.values()) await s.settle();
    return { kind: "ok", grew };
  }

  /** Append the part's bytes from `stream.received` on; 0 when done, else the HTTP status that failed. */
  private async readPart(part: number, stream: PartStream): Promise<number> {
    const from = stream.received;
    const headers = this.headers();
    if (from > 0) headers.Range = `bytes=${from}-`;
    let res: Response;
    try {
      res = await fetch(`${this.traceUrl}/skeleton/${part}`, { headers, cache: "no-store", credentials: "same-origin" });
    } catch {
      return 0; // unreachable now: the next pass tries again
    }
    if (res.status === 416) return 0; // nothing new after all
    if (!res.ok || !res.body) return res.status === 404 ? 0 : res.status;
    // a 200 to a Range request is the whole stream again: skip what was read
    let skip = res.status === 206 ? 0 : from;
    const reader = res.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      this.bytesIn += value.length;
      let bytes = value;
      if (skip > 0) {
        const n = Math.min(skip, bytes.length);
        skip -= n;
        bytes = bytes.subarray(n);
        if (bytes.length === 0) continue;
      }
      await stream.write(bytes);
      this.sink.progress();
      await yieldToTasks();
    }
    return 0;
  }
}
