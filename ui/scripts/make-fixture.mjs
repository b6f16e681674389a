// Usage: node scripts/make-fixture.mjs <out.jsonl.gz> [spans] [session-id] [--running]
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { makeTraceLines } from "./fixture-lib.mjs";

const [out, spans = "200", sessionId = "fixture-session-0001"] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (!out) {
  console.error("usage: make-fixture.mjs <out.jsonl.gz> [spans] [session-id] [--running]");
  process.exit(2);
}
const lines = makeTraceLines({ spans: Number(spans), sessionId, running: process.argv.includes("--running") });
writeFileSync(out, gzipSync(lines.join("\n") + "\n"));
console.log(`${out}: ${lines.length} lines`);
