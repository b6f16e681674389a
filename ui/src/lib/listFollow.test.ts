import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FOLLOW_MAX_MS, FOLLOW_MIN_MS, followList, nextWait } from "./listFollow";

describe("following the sessions list", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits 2 s after a change and doubles to 30 s while nothing changes", () => {
    expect(nextWait(FOLLOW_MIN_MS, true)).toBe(FOLLOW_MIN_MS);
    const waits = [FOLLOW_MIN_MS];
    for (let i = 0; i < 6; i++) waits.push(nextWait(waits[waits.length - 1], false));
    expect(waits).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(nextWait(FOLLOW_MAX_MS, true)).toBe(FOLLOW_MIN_MS);
  });

  it("reads on that schedule", async () => {
    const changes = [false, false, true, false];
    const at: number[] = [];
    const start = Date.now();
    followList(async () => {
      at.push(Date.now() - start);
      return changes.shift() ?? false;
    });
    await vi.advanceTimersByTimeAsync(2000 + 4000 + 8000 + 2000 + 4000);
    expect(at).toEqual([2000, 6000, 14000, 16000, 20000]);
  });
});
