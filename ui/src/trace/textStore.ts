// The unparsed text of finished spans, kept compactly: the pieces added while one chunk of the file is parsed are
// joined into one flat string (a copy, so the decoded chunk itself is freed), and each piece is found again by
// integers in typed arrays (chunk, offset, length). No per-span strings or objects stay alive.

function grow(a: Int32Array, min: number): Int32Array {
  const b = new Int32Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

export class TextStore {
  private chunks: string[] = [];
  private pending: string[] = [];
  private pendingLen = 0;
  private chunkOf: Int32Array = new Int32Array(1024);
  private offset: Int32Array = new Int32Array(1024);
  private length: Int32Array = new Int32Array(1024);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** Keep a piece of text; returns its reference. */
  add(piece: string): number {
    const ref = this.n++;
    if (ref >= this.chunkOf.length) {
      this.chunkOf = grow(this.chunkOf, ref + 1);
      this.offset = grow(this.offset, ref + 1);
      this.length = grow(this.length, ref + 1);
    }
    this.chunkOf[ref] = this.chunks.length;
    this.offset[ref] = this.pendingLen;
    this.length[ref] = piece.length;
    this.pending.push(piece);
    this.pendingLen += piece.length;
    return ref;
  }

  /** Join the pieces added since the last seal into one chunk. */
  seal(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(this.pending.join(""));
    this.pending = [];
    this.pendingLen = 0;
  }

  get(ref: number): string {
    if (ref < 0 || ref >= this.n) return "";
    if (this.chunkOf[ref] >= this.chunks.length) this.seal();
    const off = this.offset[ref];
    return this.chunks[this.chunkOf[ref]].slice(off, off + this.length[ref]);
  }
}
