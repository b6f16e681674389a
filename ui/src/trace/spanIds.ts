// Span ids to dense slot numbers (0, 1, 2, ...) without a string per id: OpenTelemetry span ids (16 lowercase hex
// characters) live as two 32-bit halves in typed arrays behind an open-addressing hash, read straight from the
// line they appear in; any other id string (older or foreign files, tests) goes through a Map. A slot's id string
// is made again only when asked for (idText, idTexts).

const NONE = -1;
const HEX_LENGTH = 16;

/** The value of the hex digit `c` (a character code, lowercase only), or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Eight lowercase hex digits of `s` at `i` as an unsigned 32-bit number, or -1. */
function hex8(s: string, i: number): number {
  let v = 0;
  for (let k = i; k < i + 8; k++) {
    const d = hexDigit(s.charCodeAt(k));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

const HEX_CHARS = "0123456789abcdef";
const HEX_DIGITS = Uint8Array.from(HEX_CHARS, (c) => c.charCodeAt(0));

export class SpanIds {
  /** Slots handed out so far. */
  count = 0;
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** 1 when the slot's id is a hex id (its halves in hi/lo), 0 when it is in `others`. */
  private hex = new Uint8Array(1024);
  /** Open-addressing table of slots by hex id; NONE marks an empty place. Its size is a power of two. */
  private table = new Int32Array(2048).fill(NONE);
  private hexCount = 0;
  private readonly others = new Map<string, number>();
  private readonly otherTexts = new Map<number, string>();

  /** The slot of the 16-hex-digit id at `s[i]` (made when `add`); NONE when absent, or when it is not such an id
   *  (-2: the caller reads it as a string then). */
  slotAt(s: string, i: number, add: boolean): number {
    const a = hex8(s, i);
    const b = a < 0 ? -1 : hex8(s, i + 8);
    if (b < 0) return -2;
    return this.hexSlot(a, b, add);
  }

  /** The slot of any id string (made when `add`); NONE when absent and not added. */
  slotOf(id: string, add: boolean): number {
    if (id.length === HEX_LENGTH) {
      const slot = this.slotAt(id, 0, add);
      if (slot !== -2) return slot;
    }
    const known = this.others.get(id);
    if (known !== undefined || !add) return known ?? NONE;
    const slot = this.newSlot();
    this.others.set(id, slot);
    this.otherTexts.set(slot, id);
    return slot;
  }

  /** The id string of a slot. */
  idText(slot: number): string {
    if (!this.hex[slot]) return this.otherTexts.get(slot) ?? "";
    let out = "";
    for (const half of [this.hi[slot], this.lo[slot]]) {
      for (let shift = 28; shift >= 0; shift -= 4) out += HEX_CHARS[(half >>> shift) & 15];
    }
    return out;
  }

  /** The id strings of these slots, in order (one decode for all hex ids, each a slice of it). */
  idTexts(slots: Int32Array, n: number): string[] {
    const all = new TextDecoder().decode(this.hexBytes(slots, n));
    const out = new Array<string>(n);
    for (let k = 0; k < n; k++) {
      const slot = slots[k];
      out[k] = this.hex[slot] ? all.slice(k * HEX_LENGTH, (k + 1) * HEX_LENGTH) : (this.otherTexts.get(slot) ?? "");
    }
    return out;
  }

  /**
   * The ids of these slots as one string, one after another, and where each starts (n + 1 offsets): what the row
   * table carries (table.ts idText/idStart). Hex ids only: one decode, no string per id.
   */
  idColumn(slots: Int32Array, n: number): { idText: string; idStart: Int32Array } {
    const idStart = new Int32Array(n + 1);
    let allHex = true;
    for (let k = 0; k < n && allHex; k++) allHex = this.hex[slots[k]] === 1;
    if (!allHex) {
      const texts = this.idTexts(slots, n);
      for (let k = 0; k < n; k++) idStart[k + 1] = idStart[k] + texts[k].length;
      return { idText: texts.join(""), idStart };
    }
    for (let k = 0; k <= n; k++) idStart[k] = k * HEX_LENGTH;
    return { idText: new TextDecoder().decode(this.hexBytes(slots, n)), idStart };
  }

  /** The ASCII of the hex ids of these slots, HEX_LENGTH bytes each (zeros for any other id). */
  private hexBytes(slots: Int32Array, n: number): Uint8Array {
    const bytes = new Uint8Array(n * HEX_LENGTH);
    for (let k = 0; k < n; k++) {
      const slot = slots[k];
      if (!this.hex[slot]) continue;
      let at = k * HEX_LENGTH;
      for (const half of [this.hi[slot], this.lo[slot]]) {
        for (let shift = 28; shift >= 0; shift -= 4) bytes[at++] = HEX_DIGITS[(half >>> shift) & 15];
      }
    }
    return bytes;
  }

  private hashOf(a: number, b: number): number {
    return Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) ^ (b >>> 15);
  }

  private hexSlot(a: number, b: number, add: boolean): number {
    const mask = this.table.length - 1;
    let at = this.hashOf(a, b) & mask;
    for (;;) {
      const slot = this.table[at];
      if (slot === NONE) break;
      if (this.lo[slot] === b && this.hi[slot] === a && this.hex[slot]) return slot;
      at = (at + 1) & mask;
    }
    if (!add) return NONE;
    const slot = this.newSlot();
    this.hi[slot] = a;
    this.lo[slot] = b;
    this.hex[slot] = 1;
    this.table[at] = slot;
    if (++this.hexCount * 2 > this.table.length) this.rehash();
    return slot;
  }

  private newSlot(): number {
    const slot = this.count++;
    if (slot >= this.hi.length) {
      const size = this.hi.length * 2;
      this.hi = grown(this.hi, new Uint32Array(size));
      this.lo = grown(this.lo, new Uint32Array(size));
      this.hex = grown(this.hex, new Uint8Array(size));
    }
    return slot;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(NONE);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.count; slot++) {
      if (!this.hex[slot]) continue;
      let at = this.hashOf(this.hi[slot], this.lo[slot]) & mask;
      while (table[at] !== NONE) at = (at + 1) & mask;
      table[at] = slot;
    }
    this.table = table;
  }
}

/** `into` (a bigger array of the same kind) holding `from`'s values first. */
export function grown<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(from: T, into: T): T {
  into.set(from);
  return into;
}
