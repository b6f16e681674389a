import { describe, expect, it } from "vitest";
import { yieldToTasks } from "./taskYield";

/** A read whose awaits all resolve as microtasks (data always buffered), `ms` long, yielding as the loader does. */
async function busyRead(ms: number, yielding: boolean, done: () => boolean): Promise<void> {
  const t0 = performance.now();
  while (performance.now() - t0 < ms && !done()) {
    const t = performance.now();
    while (performance.now() - t < 5); // parsing a chunk
    await Promise.resolve();
    if (yielding) await yieldToTasks();
  }
}

describe("a long read", () => {
  it("lets a queued task run before it ends (and without the yield, it would not)", async () => {
    let ran = false;
    setTimeout(() => (ran = true), 0);
    await busyRead(300, false, () => ran);
    expect(ran).toBe(false);
    await busyRead(1000, true, () => ran);
    expect(ran).toBe(true);
  });
});
