// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { EventStream, type ConnectionState, type InspectorEvent } from "./sse";

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((ev: MessageEvent<string>) => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(): void {}
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  send(id: number, data: Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify(data), lastEventId: String(id) }));
  }
}

afterEach(() => {
  vi.useRealTimers();
  FakeEventSource.instances = [];
});

describe("EventStream", () => {
  it("batches events, drops replayed ids, reconnects after the last id and reports its state", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("EventSource", FakeEventSource);
    vi.stubGlobal("fetch", vi.fn(async () => new Response("{}", { status: 200 })));
    const stream = new EventStream(100);
    const batches: InspectorEvent[][] = [];
    const states: ConnectionState[] = [];
    let reopens = 0;
    stream.onEvents((b) => batches.push(b));
    stream.onState((s) => states.push(s));
    stream.onReopen(() => reopens++);
    stream.start();
    const first = FakeEventSource.instances[0];
    expect(first.url).toContain("last_event_id=0");
    first.open();
    first.send(1, { type: "SessionStarted", session_id: "s-000001" });
    first.send(2, { type: "SpanStarted", session_id: "s-000001" });
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
    expect(batches[0].map((e) => e.type)).toEqual(["SessionStarted", "SpanStarted"]);

    // the browser gives up (e.g. the server restarted): we reconnect with the last id, after a backoff
    first.readyState = FakeEventSource.CLOSED;
    first.onerror?.();
    expect(stream.getState()).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(300);
    const second = FakeEventSource.instances[1];
    expect(second.url).toContain("last_event_id=2");
    second.open();
    expect(reopens).toBe(1);
    second.send(2, { type: "SpanStarted", session_id: "s-000001" }); // replayed: ignored
    second.send(3, { type: "SpanEnded", session_id: "s-000001" });
    vi.advanceTimersByTime(100);
    expect(batches[1].map((e) => e.id)).toEqual([3]);
    expect(stream.ids).toEqual([1, 2, 3]);
    expect(states).toEqual(["open", "reconnecting", "open"]);
    stream.stop();
  });

  it("stops on a rejected token (401) and retries while the server does not answer", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("EventSource", FakeEventSource);
    const answers: (number | "down")[] = ["down", "down", 401];
    const fetchMock = vi.fn(async () => {
      const next = answers.shift();
      if (next === "down" || next === undefined) throw new TypeError("Failed to fetch");
      return new Response("{}", { status: next });
    });
    vi.stubGlobal("fetch", fetchMock);
    const stream = new EventStream(100);
    stream.start();
    FakeEventSource.instances[0].open();
    for (let i = 0; i < 3; i++) {
      const current = FakeEventSource.instances[FakeEventSource.instances.length - 1];
      current.readyState = FakeEventSource.CLOSED;
      current.onerror?.();
      await vi.advanceTimersByTimeAsync(0);
      if (i < 2) {
        expect(stream.getState()).toBe("offline"); // the server does not answer: we keep trying
        await vi.advanceTimersByTimeAsync(5000);
      }
    }
    expect(stream.getState()).toBe("unauthorized");
    const made = FakeEventSource.instances.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.instances.length).toBe(made); // no hammering after a 401
    expect(fetchMock).toHaveBeenCalledTimes(3);
    stream.restart();
    expect(FakeEventSource.instances.length).toBe(made + 1);
    stream.stop();
  });
});
