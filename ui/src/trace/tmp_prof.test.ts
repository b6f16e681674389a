import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { it } from "vitest";
import { TraceModel } from "./model";
import { addSkeletonText, skeletonRecord } from "./skeleton";

it("prof", () => {
  const text = gunzipSync(readFileSync("/tmp/integ-cache/v2.1-100000-real-trace-0001/.sidecars/real-trace-0001.0.skel.gz")).toString("utf8");
  const lines = text.split("\n");
  for (let k = 0; k < 3; k++) {
    let t = performance.now();
    for (const l of lines) JSON.parse(l || "0");
    const a = performance.now() - t;
    t = performance.now();
    const recs = lines.map((l) => skeletonRecord(l));
    const b = performance.now() - t;
    t = performance.now();
    const m0 = new TraceModel(false);
    for (const r of recs) if (r) m0.addRecord(r);
    const c = performance.now() - t;
    t = performance.now();
    const m = new TraceModel(false);
    let carry = "";
    for (let i = 0; i < text.length; i += 1 << 16) carry = addSkeletonText(m, text.slice(i, i + (1 << 16)), carry);
    const d = performance.now() - t;
    t = performance.now();
    m.buildTable();
    const e = performance.now() - t;
    console.log(`json ${a.toFixed(0)} skelRecord ${b.toFixed(0)} model ${c.toFixed(0)} all ${d.toFixed(0)} table ${e.toFixed(0)}`);
  }
}, 300000);
