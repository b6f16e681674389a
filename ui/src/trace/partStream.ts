// One part's skeleton stream, read as it grows: a single gzip member (sync-flushed per batch, without its trailer
// while live), fed to one DecompressionStream that stays open, so the bytes appended since the last read (a
// `Range: bytes=<received>-` request) decompress on from where the previous read stopped.

export class PartStream {
  /** Compressed bytes fed so far (the next Range starts here). */
  received = 0;
  /** The unfinished last line of the decoded text (see skeleton.addSkeletonText). */
  carry = "";
  /** Reading stopped: cancelled, or the bytes could not be decompressed (`failed`). A finished part's stream stays
   *  open (nothing more is fed: its size no longer grows). */
  closed = false;
  failed = false;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private readonly done: Promise<void>;

  /** `onText` gets the decoded text in order, as soon as it is decompressed. */
  constructor(private readonly onText: (text: string, part: PartStream) => void) {
    const ds = new DecompressionStream("gzip");
    this.writer = ds.writable.getWriter() as WritableStreamDefaultWriter<Uint8Array>;
    this.writer.closed.catch(() => undefined); // a failure is seen through `failed`
    this.done = this.pump(ds.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>);
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = this.decoder.decode(value, { stream: true });
        if (text) this.onText(text, this);
      }
      const rest = this.decoder.decode();
      if (rest) this.onText(rest, this);
    } catch {
      this.failed = true;
    }
    this.closed = true;
  }

  /** The next bytes of the part, in order. After a failure, bytes are counted and ignored. */
  async write(bytes: Uint8Array): Promise<void> {
    this.received += bytes.length;
    if (this.closed || this.failed) return;
    try {
      await this.writer.write(bytes);
    } catch {
      this.failed = true;
    }
  }

  /**
   * Resolves once the text of every byte written so far was handed to `onText` (as far as the decompressor can
   * tell: a sync-flushed batch comes out whole). The decompressor finishes a write before its promise resolves;
   * its output reaches the reader through promise jobs, so a macrotask later it has been read.
   */
  async settle(): Promise<void> {
    await Promise.race([this.done, new Promise((resolve) => setTimeout(resolve, 0))]);
  }

  /** Stop reading (the stream is dropped). */
  cancel(): void {
    this.closed = true;
    this.writer.abort().catch(() => undefined);
  }
}
