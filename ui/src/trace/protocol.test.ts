import { describe, expect, it } from "vitest";
import { makeTraceLines } from "../../scripts/fixture-lib.mjs";
import { TraceModel } from "./model";
import { parseText } from "./parse";
import { fromWire, toWire } from "./protocol";

describe("the table as sent", () => {
  it("carries each distinct name once and comes back equal", () => {
    const m = new TraceModel();
    m.addRecords(parseText(`${makeTraceLines({ spans: 500 }).join("\n")}\n`).records);
    const table = m.buildTable();
    const names = table.names.slice();
    const { wire, transfer } = toWire(table);
    expect(wire.nameTexts.length).toBe(new Set(names).size);
    expect("names" in wire).toBe(false);
    expect(transfer).toContain(wire.nameIndex.buffer);
    const back = fromWire(structuredClone(wire));
    expect(back.names).toEqual(names);
    expect(back.ids).toEqual(table.ids);
    expect([...back.depth]).toEqual([...table.depth]);
  });
});
