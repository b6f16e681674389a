import { describe, expect, it } from "vitest";
import { costOf, formatCost, formatTokens, priceOf, type PriceTable } from "./prices";

const table: PriceTable = {
  currency: "USD",
  models: { "gpt-4o": { input: 2.5, output: 10 }, "gpt-4o-mini": { input: 0.15, output: 0.6 }, o1: { input: 15, output: 60 } },
};

describe("prices", () => {
  it("matches exactly, then by the longest prefix, ignoring a provider prefix", () => {
    expect(priceOf(table, "gpt-4o")).toEqual({ input: 2.5, output: 10 });
    expect(priceOf(table, "gpt-4o-mini-2024-07-18")).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf(table, "openai/GPT-4o-2024-08-06")).toEqual({ input: 2.5, output: 10 });
    expect(priceOf(table, "scripted-1")).toBeNull();
    expect(priceOf(null, "gpt-4o")).toBeNull();
  });

  it("costs tokens, and says unknown without a price", () => {
    expect(costOf(table, "gpt-4o-mini", 1_000_000, 1_000_000)).toBeCloseTo(0.75);
    expect(costOf(table, "mystery", 10, 10)).toBeNull();
    expect(formatCost(null)).toBe("unknown");
    expect(formatCost(0.0123456)).toBe("$0.0123");
    expect(formatCost(12.5)).toBe("$12.50");
    expect([950, 12_345, 190_495, 1_234_567, 190_495_000].map(formatTokens)).toEqual(["950", "12.3k", "190k", "1.2M", "190M"]);
  });
});
