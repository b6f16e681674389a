// The tree fields of every span as typed-array columns indexed by slot (see spanIds.ts): no object per span. A slot
// can exist before its span is known (a child named it as its parent first); `seqOf` says when it became known.
import { copyString } from "./parse";
import { grown } from "./spanIds";

export const NO_SLOT = -1;

/** Each distinct text once, by number (names, labels, search texts): the columns hold the numbers. */
export class TextIndex {
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();

  /** `first` is numbered 0 (what a row without one gets). */
  constructor(first: string) {
    this.of(first);
  }

  /** The number of `text` (numbered now when new: a flat copy is kept, never a slice that pins a decoded chunk). */
  of(text: string): number {
    const known = this.index.get(text);
    if (known !== undefined) return known;
    const own = copyString(text);
    const k = this.texts.push(own) - 1;
    this.index.set(own, k);
    return k;
  }
}

export class SpanColumns {
  capacity = 0;
  /** The order the slot's span became known in (ties between equal start times keep it); -1: not known yet. */
  seqOf = new Int32Array(0);
  /** The parent's slot, NO_SLOT for a root. */
  parent = new Int32Array(0);
  name = new Int32Array(0);
  start = new Float64Array(0);
  end = new Float64Array(0);
  status = new Uint8Array(0);
  cat = new Uint8Array(0);
  /** 1: the span's finished record was read. */
  finished = new Uint8Array(0);
  label = new Int32Array(0);
  search = new Int32Array(0);
  /** The known slots by seq. */
  order = new Int32Array(0);
  /** Spans known. */
  known = 0;

  /** Room for slots up to `slot`. */
  ensure(slot: number): void {
    if (slot < this.capacity) return;
    let size = Math.max(1024, this.capacity * 2);
    while (size <= slot) size *= 2;
    this.seqOf = grown(this.seqOf, new Int32Array(size).fill(-1));
    this.parent = grown(this.parent, new Int32Array(size));
    this.name = grown(this.name, new Int32Array(size));
    this.start = grown(this.start, new Float64Array(size));
    this.end = grown(this.end, new Float64Array(size));
    this.status = grown(this.status, new Uint8Array(size));
    this.cat = grown(this.cat, new Uint8Array(size));
    this.finished = grown(this.finished, new Uint8Array(size));
    this.label = grown(this.label, new Int32Array(size));
    this.search = grown(this.search, new Int32Array(size));
    this.order = grown(this.order, new Int32Array(size));
    this.capacity = size;
  }

  isKnown(slot: number): boolean {
    return slot >= 0 && slot < this.capacity && this.seqOf[slot] >= 0;
  }

  /** Make a slot's span known (its fields are set by the caller). */
  markKnown(slot: number): void {
    this.ensure(slot);
    this.order[this.known] = slot;
    this.seqOf[slot] = this.known++;
  }
}
