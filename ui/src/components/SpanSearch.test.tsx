// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionInfo } from "../lib/types";
import { SpanSearchResults } from "./SpanSearch";

const sessions: Record<string, SessionInfo> = {
  "older-session-1": { id: "older-session-1", status: "completed", started_at: "2026-01-01T00:00:00Z", engine: "asyncio", title: "Older" },
  "newer-session-2": { id: "newer-session-2", status: "running", started_at: "2026-01-02T00:00:00Z", engine: "asyncio", title: "Newer" },
};

let asked: URLSearchParams[] = [];

beforeEach(() => {
  asked = [];
  vi.stubGlobal(
    "fetch",
    vi.fn((url: string) => {
      const params = new URL(url, "http://inspector.test").searchParams;
      asked.push(params);
      const filtered = params.has("kind") || params.has("status") || params.has("session");
      const hits = filtered ? [] : [{ session_id: "older-session-1", span_id: "a1", name: "tools/call", snippet: "x", highlights: [] }];
      return Promise.resolve(new Response(JSON.stringify({ query: params.get("q"), hits, total: hits.length, ranked: true }), { status: 200 }));
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const last = (): Record<string, string> => Object.fromEntries(asked[asked.length - 1]);

describe("span search filters", () => {
  it("send kind, status and session with the query, and Clear drops them", async () => {
    const { getByTestId, findByTestId, queryByTestId } = render(<SpanSearchResults query="weather" sessions={sessions} onClose={() => undefined} />);
    await findByTestId("search-hit");
    expect(last()).toEqual({ q: "weather", limit: "25" });

    fireEvent.change(getByTestId("search-filter-kind"), { target: { value: "LLM" } });
    await waitFor(() => expect(last()).toEqual({ q: "weather", limit: "25", kind: "LLM" }));
    fireEvent.change(getByTestId("search-filter-status"), { target: { value: "ERROR" } });
    fireEvent.change(getByTestId("search-filter-session"), { target: { value: "older-session-1" } });
    await waitFor(() => expect(last()).toEqual({ q: "weather", limit: "25", kind: "LLM", status: "ERROR", session: "older-session-1" }));
    expect((await findByTestId("search-none")).textContent).toContain("with these filters");

    fireEvent.click(getByTestId("search-filters-clear"));
    await waitFor(() => expect(last()).toEqual({ q: "weather", limit: "25" }));
    await findByTestId("search-hit");
    expect(queryByTestId("search-filters-clear")).toBeNull();
  });

  it("offers the sessions newest first and closes on Escape", async () => {
    const onClose = vi.fn();
    const { getByTestId, findByTestId } = render(<SpanSearchResults query="weather" sessions={sessions} onClose={onClose} />);
    await findByTestId("search-hit");
    const options = [...(getByTestId("search-filter-session") as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(["", "newer-session-2", "older-session-1"]);
    act(() => {
      fireEvent.keyDown(getByTestId("search-filter-status"), { key: "Escape" });
    });
    expect(onClose).toHaveBeenCalledOnce();
  });
});
