import { describe, expect, it } from "vitest";
import { SpanIds } from "./spanIds";

describe("span ids to slots", () => {
  it("gives one slot per id, hex ids read in place or as strings alike, through many rehashes", () => {
    const ids = new SpanIds();
    const hex = (k: number): string => (k * 2654435761).toString(16).padStart(16, "0").slice(-16);
    for (let k = 0; k < 50_000; k++) expect(ids.slotOf(hex(k), true)).toBe(k);
    for (let k = 0; k < 50_000; k += 997) {
      expect(ids.slotOf(hex(k), false)).toBe(k);
      expect(ids.slotAt(`xx"${hex(k)}"`, 3, false)).toBe(k);
      expect(ids.idText(k)).toBe(hex(k));
    }
    expect(ids.slotOf("ffffffffffffffff", false)).toBe(-1);
    expect(ids.count).toBe(50_000);
  });

  it("keeps any other id as a string: uppercase hex, other lengths, anything", () => {
    const ids = new SpanIds();
    const others = ["ABCDEF0123456789", "abc", "", "span-1", "0123456789abcdef0", "zzzzzzzzzzzzzzzz"];
    const lower = ids.slotOf("abcdef0123456789", true);
    for (const id of others) expect(ids.slotOf(id, true)).not.toBe(lower);
    for (const id of others) expect(ids.idText(ids.slotOf(id, false))).toBe(id);
    expect(ids.slotAt("ABCDEF0123456789", 0, true)).toBe(-2); // not a lowercase hex id: read as a string instead
    expect(ids.slotOf("nope", false)).toBe(-1);
  });

  it("makes the id strings of many slots at once, in the order asked", () => {
    const ids = new SpanIds();
    const list = ["00000000000000ff", "odd-one", "ffffffff00000000", "0000000100000002"];
    for (const id of list) ids.slotOf(id, true);
    expect(ids.idTexts(Int32Array.from([3, 1, 0, 2]), 4)).toEqual([list[3], list[1], list[0], list[2]]);
  });

  it("makes one id string with offsets for the row table, hex ids or not", () => {
    const ids = new SpanIds();
    const hexOnly = ["00000000000000ff", "ffffffff00000000", "0000000100000002"];
    for (const id of hexOnly) ids.slotOf(id, true);
    const a = ids.idColumn(Int32Array.from([2, 0, 1]), 3);
    expect(a.idText).toBe(hexOnly[2] + hexOnly[0] + hexOnly[1]);
    expect([...a.idStart]).toEqual([0, 16, 32, 48]);
    ids.slotOf("odd", true);
    const b = ids.idColumn(Int32Array.from([3, 1]), 2);
    expect(b.idText).toBe(`odd${hexOnly[1]}`);
    expect([...b.idStart]).toEqual([0, 3, 19]);
  });
});
