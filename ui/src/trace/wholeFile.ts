// The whole-file path: GET /trace/{id} (the browser undoes Content-Encoding: gzip), parsed as it streams, every
// span's text kept (see parse.LazySpan); re-read whole with If-None-Match while live. Used when the gateway has no
// skeleton endpoints (an older gateway).
import type { TraceReader } from "./reader";
import { yieldToTasks } from "./taskYield";

export interface WholeFileSink {
  /** The first spans are in (send a first table). */
  first(): void;
  progress(spans: number, bytes: number): void;
  /** A non-OK answer. */
  error(status: number): void;
  unchanged(): void;
}

export type WholeFileResult = "loaded" | "unchanged" | "failed";

export class WholeFile {
  private etag: string | null = null;
  /** Bytes received (decoded: the transfer is gzip-encoded). */
  bytesIn = 0;

  constructor(
    private readonly url: string,
    private readonly headers: () => Record<string, string>,
    private readonly reader: TraceReader,
  ) {}

  async read(first: boolean, sink: WholeFileSink): Promise<WholeFileResult> {
    const headers = this.headers();
    if (!first && this.etag) headers["If-None-Match"] = this.etag;
    let res: Response;
    try {
      res = await fetch(this.url, { headers, cache: "no-store", credentials: "same-origin" });
    } catch {
      sink.error(0);
      return "failed";
    }
    if (res.status === 304) {
      sink.unchanged();
      return "unchanged";
    }
    if (!res.ok || !res.body) {
      sink.error(res.status);
      return "failed";
    }
    this.etag = res.headers.get("ETag");
    const pass = this.reader.begin(first);
    const stream = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let sentFirst = !first;
    let lastProgress = performance.now();
    try {
      for (;;) {
        const { value, done } = await stream.read();
        if (done) break;
        this.bytesIn += value.length;
        pass.feed(value);
        if (!sentFirst && pass.model.spanCount > 0) {
          sentFirst = true;
          sink.first();
        } else if (first && performance.now() - lastProgress > 100) {
          lastProgress = performance.now();
          sink.progress(pass.model.spanCount, pass.position);
        }
        await yieldToTasks();
      }
    } catch {
      // A live file can end mid-stream (a gzip stream without its trailer): keep what was read.
    }
    pass.finish();
    return "loaded";
  }
}
