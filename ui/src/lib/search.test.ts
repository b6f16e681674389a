import { describe, expect, it } from "vitest";
import { firstMatch, markTerms, queryTerms, searchUrl, snippetParts } from "./search";

describe("snippetParts", () => {
  it("marks code-point ranges, also after characters outside the BMP", () => {
    expect(snippetParts("the otter swims", [[4, 9]])).toEqual([
      { text: "the ", mark: false },
      { text: "otter", mark: true },
      { text: " swims", mark: false },
    ]);
    // "🦦" is one code point but two UTF-16 units: the range still lands on the word
    expect(snippetParts("🦦 otter", [[2, 7]]).find((p) => p.mark)?.text).toBe("otter");
  });

  it("clips ranges past the end and ignores overlaps", () => {
    expect(snippetParts("abc", [[1, 99], [0, 2]])).toEqual([
      { text: "ab", mark: true },
      { text: "c", mark: true },
    ]);
    expect(snippetParts("plain")).toEqual([{ text: "plain", mark: false }]);
  });
});

describe("queryTerms", () => {
  it("reads words, phrases and prefixes like the gateway", () => {
    expect(queryTerms('Paris "tool  output" weath* --')).toEqual(["paris", "tool output", "weath"]);
  });
});

describe("markTerms", () => {
  it("marks every occurrence case-insensitively, phrases across any whitespace", () => {
    const parts = markTerms("Tool\noutput of the tool", ["tool output", "tool"]);
    expect(parts.filter((p) => p.mark).map((p) => p.text)).toEqual(["Tool\noutput", "tool"]);
    expect(firstMatch("xx Paris", ["paris"])).toBe(3);
    expect(firstMatch("nothing", ["paris"])).toBe(-1);
    expect(markTerms("a.b", [".*"])).toEqual([{ text: "a.b", mark: false }]); // terms are literal
  });
});

describe("searchUrl", () => {
  it("carries only the given filters", () => {
    expect(searchUrl({ q: "a b", limit: 20, offset: 40, status: "ERROR" })).toBe("/search?q=a+b&limit=20&offset=40&status=ERROR");
  });
});
