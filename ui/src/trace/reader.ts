// Reading a trace file's text into a model, chunk by chunk, again and again while the file grows: a re-read
// skips the text already parsed. The first PREFIX characters must match the previous read, else the file was
// replaced (not appended to) and is parsed from the start into a fresh model.
import { TraceModel } from "./model";
import { finishParse, parseChunk } from "./parse";

const PREFIX = 256;

export class TraceReader {
  model = new TraceModel();
  /** Characters of complete lines parsed so far. */
  private consumed = 0;
  private prefix = "";

  /** Start a read of the whole file; `fresh` forgets everything read before (a new session). */
  begin(fresh: boolean): ReadPass {
    if (fresh) {
      this.model = new TraceModel();
      this.consumed = 0;
      this.prefix = "";
    }
    return new ReadPass(this, this.consumed, this.prefix);
  }

  /** Called by a pass when it ends. */
  commit(consumed: number, prefix: string): void {
    this.consumed = consumed;
    this.prefix = prefix;
  }
}

export class ReadPass {
  private carry = "";
  private pos = 0;
  private head = "";
  private replaced = false;
  /** Characters handed to the parser in this pass (for tests and progress). */
  parsedChars = 0;

  constructor(
    private readonly reader: TraceReader,
    private skip: number,
    private readonly previousPrefix: string,
  ) {}

  get model(): TraceModel {
    return this.reader.model;
  }

  get position(): number {
    return this.pos;
  }

  /** The next chunk of the file's text, in order from the start of the file. */
  feed(value: string): void {
    if (this.head.length < PREFIX) {
      this.head += value.slice(0, PREFIX - this.head.length);
      const p = this.previousPrefix;
      if (this.skip > 0 && !p.startsWith(this.head) && !this.head.startsWith(p)) {
        this.reader.model = new TraceModel();
        this.skip = 0;
        this.replaced = this.pos > 0; // the characters already skipped are lost: the next read starts over
      }
    }
    const start = this.pos;
    this.pos += value.length;
    if (this.pos <= this.skip) return;
    const text = start < this.skip ? value.slice(this.skip - start) : value;
    this.parsedChars += text.length;
    const r = parseChunk(text, this.carry, this.model.store);
    this.carry = r.carry;
    this.model.badLines += r.badLines;
    this.model.addRecords(r.records);
  }

  /** End of this read (the stream may have ended inside a line of a live file). */
  finish(): void {
    this.reader.commit(this.replaced ? 0 : Math.max(this.skip, this.pos - this.carry.length), this.replaced ? "" : this.head);
    const tail = finishParse(this.carry, this.model.store);
    this.model.addRecords(tail.records);
    this.model.partialTail = tail.partialTail;
  }
}
