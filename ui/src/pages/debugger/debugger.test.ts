// @vitest-environment jsdom
import { act, cleanup, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { findRow, type RowTable } from "../../trace/table";
import type { SpanDetail, TraceState } from "../../trace/useTrace";
import { sessionView } from "./sessionView";
import { useCollapsed } from "./useCollapsed";
import { useFindSpan } from "./useFindSpan";
import { useSpanDetail } from "./useSpanDetail";

afterEach(cleanup);

// root ─┬─ a ── a1
//       └─ b          other (a second top-level span without children)
function table(): RowTable {
  const ids = ["root", "a", "a1", "b", "other"];
  return {
    n: ids.length,
    idText: ids.join(""),
    idStart: Int32Array.from([0, 4, 5, 7, 8, 13]),
    nameIndex: Int32Array.from([0, 1, 2, 1, 3]),
    nameTexts: ["workflow.run", "tools/call", "llm.generate", "lonely"],
    depth: Int32Array.from([0, 1, 2, 1, 0]),
    parent: Int32Array.from([-1, 0, 1, 0, -1]),
    size: Int32Array.from([4, 2, 1, 1, 1]),
    start: new Float64Array(5),
    end: new Float64Array(5),
    status: new Uint8Array(5),
    cat: new Uint8Array(5),
    label: Int32Array.from([0, 1, 2, 0, 0]),
    labelTexts: ["", "weather", "gpt-demo"],
    search: new Int32Array(5),
    searchTexts: [""],
    t0: 0,
    t1: 1,
  };
}

describe("find span", () => {
  it("steps through the matches both ways, wrapping around", () => {
    const t = table();
    const picked: string[] = [];
    const { result } = renderHook(() => useFindSpan(t, (id) => picked.push(id)));
    act(() => result.current.setQuery("TOOLS"));
    expect(result.current.matches.count).toBe(2);
    expect([0, 1, 2, 3, 4].filter((i) => result.current.matches.has(i))).toEqual([1, 3]);
    act(() => result.current.setQuery("tools"));
    act(() => result.current.jump(1));
    act(() => result.current.jump(1));
    act(() => result.current.jump(1));
    act(() => result.current.jump(-1));
    expect(picked).toEqual(["a", "b", "a", "b"]);
  });
});

describe("folding", () => {
  it("toggles, folds to the top level and expands all", () => {
    const t = table();
    const { result } = renderHook(() => useCollapsed(t, null, -1));
    act(() => result.current.toggle("a"));
    expect([...result.current.collapsed]).toEqual(["a"]);
    act(() => result.current.toggle("a", true));
    expect(result.current.collapsed.size).toBe(0);
    act(() => result.current.collapseToTop());
    expect([...result.current.collapsed]).toEqual(["root"]); // "other" has no children to fold
    act(() => result.current.expandAll());
    expect(result.current.collapsed.size).toBe(0);
  });

  it("opens the ancestors of a deep-linked span once; folding one afterwards stays folded", () => {
    const t = table();
    const { result, rerender } = renderHook(({ span, t }) => useCollapsed(t, span, span ? findRow(t, span) : -1), { initialProps: { span: null as string | null, t } });
    act(() => result.current.collapseToTop());
    act(() => result.current.toggle("a", false));
    rerender({ span: "a1", t });
    expect(result.current.collapsed.size).toBe(0);
    act(() => result.current.toggle("root", false));
    rerender({ span: "a1", t: table() }); // a live update: a new table with the same span
    expect([...result.current.collapsed]).toEqual(["root"]);
  });
});

describe("session view", () => {
  const state = { table: null, header: { title: "From the file", engine: "temporal", started_at: "2026-01-01T00:00:00Z" }, end: null } as unknown as TraceState;

  it("prefers the registry's entry, then the file's header", () => {
    expect(sessionView("s-1", undefined, state)).toMatchObject({ status: "unknown", live: false, title: "From the file", engine: "temporal", frozenAt: null });
    const session = { id: "s-1", status: "completed", title: "Live", engine: "asyncio", started_at: "2026-01-01T00:00:00Z", ended_at: "2026-01-01T00:00:01Z" };
    const v = sessionView("s-1", session, state);
    expect(v).toMatchObject({ status: "completed", live: false, title: "Live", engine: "asyncio" });
    expect(v.frozenAt).toBe(Date.parse("2026-01-01T00:00:01Z"));
    expect(sessionView("s-1", { ...session, status: "paused" }, state)).toMatchObject({ live: true, frozenAt: null });
  });
});

describe("the selected span's record", () => {
  it("is 'reading' until answered, 'missing' after an empty answer, 'reading' again when asked again", async () => {
    const t = table();
    const answers: ((d: SpanDetail) => void)[] = [];
    const request = (): Promise<SpanDetail> => new Promise((resolve) => answers.push(resolve));
    const refresh = (): void => undefined;
    const { result, rerender } = renderHook(({ version }) => useSpanDetail("a", t, 1, false, request, version, refresh), {
      initialProps: { version: 0 },
    });
    expect(result.current).toEqual({ detail: null, answered: null });
    expect(answers.length).toBe(1);
    await act(async () => answers[0]({ id: "a", full: null, started: null }));
    expect(result.current).toEqual({ detail: null, answered: "a" });
    rerender({ version: 1 }); // the file grew or the gateway came back
    expect(result.current.answered).toBe(null);
    const full = { type: "span", span_id: "a" } as SpanDetail["full"];
    await act(async () => answers[1]({ id: "a", full, started: null }));
    expect(result.current).toEqual({ detail: { id: "a", full, started: null }, answered: "a" });
  });

  it("is not asked for while the trace loads and the span is not in the rows read so far", () => {
    const asked: string[] = [];
    const request = (id: string): Promise<SpanDetail> => {
      asked.push(id);
      return new Promise(() => undefined);
    };
    const { rerender } = renderHook(({ row, loading }) => useSpanDetail("late", table(), row, loading, request, 0, () => undefined), {
      initialProps: { row: -1, loading: true },
    });
    expect(asked).toEqual([]);
    rerender({ row: -1, loading: false });
    expect(asked).toEqual(["late"]);
  });
});
