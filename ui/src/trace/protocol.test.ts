import { describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import { TraceModel } from "./model";
import { parseText } from "./parse";
import { wireTransfer } from "./protocol";
import { rowId, rowName } from "./table";

describe("the table as sent", () => {
  it("carries no string per row, each distinct name once, and comes back equal", () => {
    const m = new TraceModel();
    m.addRecords(parseText(`${makeTraceLines({ spans: 500 }).join("\n")}\n`).records);
    const table = m.buildTable();
    const rows = (t: typeof table): string[] => Array.from({ length: t.n }, (_, i) => `${rowId(t, i)} ${rowName(t, i)}`);
    const before = rows(table);
    const depth = [...table.depth];
    const wire = table;
    const transfer = wireTransfer(wire);
    expect(new Set(wire.nameTexts).size).toBe(wire.nameTexts.length); // each distinct name once
    expect(Object.values(wire).filter((v) => Array.isArray(v) && v.length >= wire.n)).toEqual([]);
    expect(transfer).toContain(wire.nameIndex.buffer);
    expect(transfer).toContain(wire.idStart.buffer);
    const back = structuredClone(wire, { transfer });
    expect(rows(back)).toEqual(before);
    expect(new Set(before.map((r) => r.split(" ")[0])).size).toBe(back.n);
    expect([...back.depth]).toEqual(depth);
    expect(table.depth.length).toBe(0); // transferred, not copied
  });
});
