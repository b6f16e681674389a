import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FOLLOW_MAX_MS, FOLLOW_MIN_MS, followList, nextWait } from "./listFollow";

describe("following the sessions list", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits 3 s after a change and doubles to 30 s while nothing changes", () => {
    expect(nextWait(FOLLOW_MIN_MS, true)).toBe(FOLLOW_MIN_MS);
    const waits = [FOLLOW_MIN_MS];
    for (let i = 0; i < 6; i++) waits.push(nextWait(waits[waits.length - 1], false));
    expect(waits).toEqual([3000, 6000, 12000, 24000, 30000, 30000, 30000]);
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
    await vi.advanceTimersByTimeAsync(3000 + 6000 + 12000 + 3000 + 6000);
    expect(at).toEqual([3000, 9000, 21000, 24000, 30000]);
  });

  it("does not read when another read came within the wait", async () => {
    const start = Date.now();
    let other = start + 2000; // e.g. the list read after a SessionFinished event
    const at: number[] = [];
    followList(
      async () => {
        at.push(Date.now() - start);
        return false;
      },
      () => other,
    );
    await vi.advanceTimersByTimeAsync(4000);
    expect(at).toEqual([]); // due at 3 s, but the other read was 1 s before: next at 2 + 3 = 5 s
    await vi.advanceTimersByTimeAsync(1000);
    expect(at).toEqual([5000]);
    other = 0;
  });

  it("sends no read while the token is refused, and reads again once it is not", async () => {
    let refused = true;
    let reads = 0;
    followList(
      async () => {
        reads++;
        return false;
      },
      () => 0,
      () => refused,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reads).toBe(0);
    refused = false;
    await vi.advanceTimersByTimeAsync(3000);
    expect(reads).toBe(1);
  });
});
