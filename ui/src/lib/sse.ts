// One EventSource for the whole page: named or typed events, a connection state, reconnect with backoff,
// de-duplication by event id (replays after a reconnect never apply twice).
import { probeAuth } from "./auth";
import { apiUrl, token } from "./config";

/** offline = the server does not answer (retrying); unauthorized = it answers 401 (no retry until a new link). */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "offline" | "unauthorized";

export interface InspectorEvent {
  type: string;
  id: number | null;
  data: Record<string, unknown>;
}

export const EVENT_TYPES = [
  "SessionStarted",
  "SessionFinished",
  "WaitingOnSignal",
  "SignalReceived",
  "Heartbeat",
  "SpanStarted",
  "SpanEnded",
  "StorageError",
  "StorageRecovered",
] as const;

type EventListenerFn = (events: InspectorEvent[]) => void;
type StateListener = (state: ConnectionState) => void;
type OpenListener = () => void;

const SEEN_LIMIT = 4096;

export class EventStream {
  private source: EventSource | null = null;
  private state: ConnectionState = "connecting";
  private lastId: number | null = null;
  private seen = new Set<number>();
  private seenOrder: number[] = [];
  private backoff = 250;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private batch: InspectorEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly eventListeners = new Set<EventListenerFn>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly openListeners = new Set<OpenListener>();
  private opens = 0;
  /** Count of events applied (after de-duplication), for tests and the status tooltip. */
  received = 0;
  /** Ids of the events applied, in order (the last 10,000), so tests can check that none was missed. */
  readonly ids: number[] = [];
  /** Number of successful connections (1 + reconnects). */
  get connections(): number {
    return this.opens;
  }

  constructor(private readonly batchMs = 100) {}

  start(): void {
    if (this.source || typeof EventSource === "undefined") return;
    this.connect();
  }

  /** Close the stream; ``state`` says why when it is not only a pause (e.g. "unauthorized" after signing out). */
  stop(state?: ConnectionState): void {
    this.source?.close();
    this.source = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (state) this.setState(state);
  }

  /** Connect again at once (after a fresh link was given): the events missed meanwhile are replayed. */
  restart(): void {
    this.stop();
    this.backoff = 250;
    this.setState("connecting");
    this.connect();
  }

  getState(): ConnectionState {
    return this.state;
  }

  getLastId(): number | null {
    return this.lastId;
  }

  onEvents(fn: EventListenerFn): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  onState(fn: StateListener): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  /** Called on every successful (re)connection after the first: callers re-sync what may have been missed. */
  onReopen(fn: OpenListener): () => void {
    this.openListeners.add(fn);
    return () => this.openListeners.delete(fn);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const fn of this.stateListeners) fn(state);
  }

  private url(): string {
    const params = new URLSearchParams();
    const t = token();
    if (t) params.set("token", t);
    // The first connection asks for the gateway's ring of recent events (last_event_id=0): that is how a page
    // opened after a run paused learns its prompt and schema. Later ones resume after the last applied id.
    params.set("last_event_id", String(this.lastId ?? 0));
    const q = params.toString();
    return apiUrl("/events") + (q ? `?${q}` : "");
  }

  private connect(): void {
    const es = new EventSource(this.url());
    this.source = es;
    es.onopen = () => {
      this.backoff = 250;
      this.setState("open");
      this.opens += 1;
      if (this.opens > 1) for (const fn of this.openListeners) fn();
    };
    es.onerror = () => {
      if (this.source !== es) return;
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (an HTTP error, or refused): ask GET /auth why before trying again.
        es.close();
        this.source = null;
        this.setState("reconnecting");
        void this.recover(es);
      } else {
        this.setState("reconnecting");
      }
    };
    const handler = (ev: MessageEvent<string>): void => this.handle(ev);
    es.onmessage = handler;
    for (const type of EVENT_TYPES) es.addEventListener(type, handler as EventListener);
  }

  /** 401: token rejected, stop (no hammering); no answer: server not reachable, retry with backoff; else retry. */
  private async recover(failed: EventSource): Promise<void> {
    const probe = await probeAuth();
    if (this.source !== null && this.source !== failed) return; // restarted meanwhile
    if (probe === "rejected") {
      this.setState("unauthorized");
      return;
    }
    if (probe === "unreachable") this.setState("offline");
    this.retryTimer = setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, 5000);
  }

  private handle(ev: MessageEvent<string>): void {
    let data: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(ev.data);
      if (!parsed || typeof parsed !== "object") return;
      data = parsed as Record<string, unknown>;
    } catch {
      return;
    }
    const idText = ev.lastEventId;
    const id = idText && /^\d+$/.test(idText) ? Number(idText) : null;
    if (id !== null) {
      if (this.seen.has(id)) return;
      this.seen.add(id);
      this.seenOrder.push(id);
      if (this.seenOrder.length > SEEN_LIMIT) this.seen.delete(this.seenOrder.shift() as number);
      this.lastId = id;
      this.ids.push(id);
      if (this.ids.length > 10000) this.ids.splice(0, this.ids.length - 10000);
    }
    const type = ev.type && ev.type !== "message" ? ev.type : String(data.type ?? "message");
    this.received += 1;
    this.batch.push({ type, id, data });
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.batchMs);
  }

  private flush(): void {
    this.flushTimer = null;
    const events = this.batch;
    this.batch = [];
    for (const fn of this.eventListeners) fn(events);
  }
}

export const eventStream = new EventStream();
