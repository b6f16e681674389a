import { describe, expect, it } from "vitest";
import { findRow, rowId, rowName, type RowTable } from "./table";

function table(ids: string[]): RowTable {
  const idStart = new Int32Array(ids.length + 1);
  ids.forEach((id, i) => (idStart[i + 1] = idStart[i] + id.length));
  const n = ids.length;
  return {
    n,
    idText: ids.join(""),
    idStart,
    nameIndex: Int32Array.from(ids, (_, i) => i % 2),
    nameTexts: ["even", "odd"],
    depth: new Int32Array(n),
    parent: new Int32Array(n).fill(-1),
    size: new Int32Array(n).fill(1),
    start: new Float64Array(n),
    end: new Float64Array(n),
    status: new Uint8Array(n),
    cat: new Uint8Array(n),
    label: new Int32Array(n),
    labelTexts: [""],
    search: new Int32Array(n),
    searchTexts: [""],
    t0: 0,
    t1: 0,
  };
}

describe("row ids and names", () => {
  // ids that run into each other: "ab"+"c" holds "bc", "c"+"abc" holds "cab", "abc" holds "ab"
  const ids = ["ab", "c", "abc", "bc", "x", "cab"];
  const t = table(ids);

  it("reads each row's id and name", () => {
    expect(ids.map((_, i) => rowId(t, i))).toEqual(ids);
    expect(rowName(t, 3)).toBe("odd");
  });

  it("finds a row by id only where a whole id is, with or without a right hint", () => {
    for (const [i, id] of ids.entries()) {
      expect(findRow(t, id)).toBe(i);
      expect(findRow(t, id, i)).toBe(i);
      expect(findRow(t, id, (i + 1) % ids.length)).toBe(i);
    }
    expect(findRow(t, "b")).toBe(-1);
    expect(findRow(t, "abcbc")).toBe(-1);
    expect(findRow(t, "")).toBe(-1);
    expect(findRow(t, "ab", 99)).toBe(0);
  });
});
