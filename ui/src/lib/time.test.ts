import { describe, expect, it } from "vitest";
import { formatDuration, parseTime } from "./time";

describe("parseTime", () => {
  it("keeps microseconds and agrees with Date.parse on whole milliseconds", () => {
    expect(parseTime("2026-11-23T17:00:00.000001Z") - parseTime("2026-11-23T17:00:00Z")).toBeCloseTo(0.001, 4) // epoch ms as doubles resolve about 1 µs;
    for (const v of ["2026-11-23T17:00:00Z", "2026-02-28T23:59:59.999Z", "2024-02-29T00:00:00.5Z", "1999-12-31T23:59:59.123456Z"]) {
      expect(Math.floor(parseTime(v))).toBe(Date.parse(v));
    }
    // across hours and days (the fast path caches the hour)
    expect(parseTime("2026-11-23T18:00:00.000000Z") - parseTime("2026-11-23T17:59:59.999000Z")).toBeCloseTo(1, 4);
  });

  it("falls back for other RFC 3339 forms and says NaN for garbage", () => {
    expect(parseTime("2026-11-23T19:00:00+02:00")).toBe(Date.parse("2026-11-23T17:00:00Z"));
    expect(parseTime("not a time")).toBeNaN();
    expect(parseTime("")).toBeNaN();
    expect(parseTime(null)).toBeNaN();
  });
});

describe("formatDuration", () => {
  it("reads at a glance", () => {
    expect(formatDuration(0.25)).toBe("250 µs");
    expect(formatDuration(5.678)).toBe("5.68 ms");
    expect(formatDuration(12.34)).toBe("12.3 ms");
    expect(formatDuration(999.7)).toBe("1.00 s");
    expect(formatDuration(61_000)).toBe("1m 01s");
    expect(formatDuration(7_260_000)).toBe("2h 01m");
    expect(formatDuration(Number.NaN)).toBe("–");
  });
});
