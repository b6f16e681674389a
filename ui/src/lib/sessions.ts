// The sessions list: loaded from GET /sessions, kept live by the SSE events, re-synced after a reconnect.
import { useSyncExternalStore } from "react";
import { describeError, getPlugins, getSessions } from "./api";
import { authStore, tokenRefused } from "./auth";
import { followList } from "./listFollow";
import { eventStream, type InspectorEvent } from "./sse";
import { problemOfStorage, storageProblem } from "./storage";
import { Store } from "./store";
import type { JsonSchema, PluginInfo, SessionInfo, WaitingInfo } from "./types";

export interface Problem {
  key: string;
  kind: "storage" | "temporal" | "plugin" | "source" | "api";
  message: string;
}

export interface SessionsState {
  sessions: Record<string, SessionInfo>;
  loaded: boolean;
  loadError: string | null;
  problems: Problem[];
  /** The waiting prompt/schema of paused sessions, from WaitingOnSignal or from /sessions. */
  waiting: Record<string, WaitingInfo>;
}

const WAITING_KEY = "mcp-inspector-waiting";

/** Waiting prompts seen earlier in this tab: a reload keeps them even when the gateway's event ring has moved on. */
function storedWaiting(): Record<string, WaitingInfo> {
  try {
    const raw = typeof sessionStorage === "undefined" ? null : sessionStorage.getItem(WAITING_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === "object" ? (parsed as Record<string, WaitingInfo>) : {};
  } catch {
    return {};
  }
}

export const sessionsStore = new Store<SessionsState>({
  sessions: {},
  loaded: false,
  loadError: null,
  problems: [],
  waiting: storedWaiting(),
});

let savedWaiting = sessionsStore.get().waiting;
sessionsStore.subscribe(() => {
  const { waiting } = sessionsStore.get();
  if (waiting === savedWaiting) return;
  savedWaiting = waiting;
  try {
    sessionStorage.setItem(WAITING_KEY, JSON.stringify(waiting));
  } catch {
    // storage full or unavailable: the prompts are only kept in memory
  }
});

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function sourceProblems(errors: unknown): Problem[] {
  if (!errors) return [];
  if (Array.isArray(errors)) {
    return errors.map((e, i) => ({
      key: `source-${i}`,
      kind: "source" as const,
      message: typeof e === "string" ? e : describeObject(e),
    }));
  }
  if (typeof errors === "object") {
    return Object.entries(errors as Record<string, unknown>).map(([k, v]) => ({
      key: `source-${k}`,
      kind: "source" as const,
      message: `${k}: ${typeof v === "string" ? v : describeObject(v)}`,
    }));
  }
  return [{ key: "source", kind: "source", message: String(errors) }];
}

function describeObject(v: unknown): string {
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const parts = [o.source, o.name, o.message, o.error].filter((x) => typeof x === "string");
    if (parts.length) return parts.join(": ");
  }
  return JSON.stringify(v);
}

function replaceProblems(kind: Problem["kind"] | Problem["kind"][], next: Problem[]): void {
  const kinds = Array.isArray(kind) ? kind : [kind];
  sessionsStore.set((s) => ({ problems: [...s.problems.filter((p) => !kinds.includes(p.kind)), ...next] }));
}

/** What of the list a reader sees change: ids, statuses, span counts, token totals, ends, waits. */
function signature(rows: SessionInfo[]): string {
  let text = "";
  for (const s of rows) {
    const tokens = s.usage ? s.usage.input_tokens + s.usage.output_tokens : 0;
    text += `${s.id} ${s.status} ${s.span_count ?? ""} ${tokens} ${s.ended_at ?? ""} ${s.waiting ? 1 : 0}\n`;
  }
  return text;
}

let listed = "";
let lastRead = 0;

/** Read GET /sessions into the store; true when the list changed since the last read. */
export async function loadSessions(): Promise<boolean> {
  lastRead = Date.now();
  try {
    const res = await getSessions();
    const rows = res.sessions ?? [];
    const seen = signature(rows);
    const changed = seen !== listed || !sessionsStore.get().loaded;
    listed = seen;
    const sessions: Record<string, SessionInfo> = {};
    const waiting: Record<string, WaitingInfo> = { ...sessionsStore.get().waiting };
    for (const s of rows) {
      // a list computed just before a WaitingOnSignal event must not undo it: paused stays until a resume event
      sessions[s.id] = s.status === "running" && pausedByEvent.has(s.id) ? { ...s, status: "paused" } : s;
      if (s.waiting) waiting[s.id] = s.waiting;
    }
    for (const id of Object.keys(waiting)) {
      const st = sessions[id]?.status;
      if (st === "completed" || st === "failed" || st === "cancelled") delete waiting[id];
    }
    if (changed) sessionsStore.set({ sessions, waiting, loaded: true, loadError: null });
    else if (sessionsStore.get().loadError !== null) sessionsStore.set({ loadError: null });
    const problems: Problem[] = [];
    const storage = problemOfStorage(res.storage);
    if (storage) problems.push(storage);
    if (res.temporal_error) problems.push({ key: "temporal", kind: "temporal", message: `Temporal: ${res.temporal_error}` });
    problems.push(...sourceProblems(res.errors));
    // the storage state is current (not an event that may have left the ring): it sets or clears the banner
    replaceProblems(res.storage ? ["temporal", "source", "api", "storage"] : ["temporal", "source", "api"], problems);
    return changed;
  } catch (e) {
    sessionsStore.set({ loaded: true, loadError: describeError(e) });
    return false;
  }
}

export async function loadPlugins(): Promise<void> {
  try {
    const res = await getPlugins();
    const failed: PluginInfo[] = [
      ...(res.failed ?? []),
      ...(res.plugins ?? []).filter((p) => p.error),
    ];
    replaceProblems(
      "plugin",
      failed.map((p) => ({
        key: `plugin-${p.name}`,
        kind: "plugin" as const,
        message: `Plugin ${p.name}${p.version ? ` ${p.version}` : ""} failed to load: ${p.error ?? "unknown error"}`,
      })),
    );
  } catch {
    // /plugins is optional; the sessions list reports reachability problems already
  }
}

/** Sessions whose latest event on this page's stream says they wait (not restored from storage). */
const pausedByEvent = new Set<string>();

/** The page resumed a run itself (optimistic; the SignalReceived event follows). */
export function markResumed(sessionId: string): void {
  pausedByEvent.delete(sessionId);
  sessionsStore.set((s) => {
    const prev = s.sessions[sessionId];
    const waiting = { ...s.waiting };
    delete waiting[sessionId];
    return { waiting, sessions: prev ? { ...s.sessions, [sessionId]: { ...prev, status: "running" } } : s.sessions };
  });
}

const SESSION_EVENTS = new Set(["SessionStarted", "SessionFinished", "WaitingOnSignal", "SignalReceived", "StorageError", "StorageRecovered"]);

/** Apply one event to a draft whose `sessions` and `waiting` maps are private copies (mutated in place). */
function applyInPlace(d: SessionsState, ev: InspectorEvent): void {
  const data = ev.data;
  const sid = str(data.session_id);
  switch (ev.type) {
    case "SessionStarted": {
      if (!sid) return;
      const meta = (data.metadata && typeof data.metadata === "object" ? data.metadata : {}) as Record<string, unknown>;
      const prev = d.sessions[sid];
      d.sessions[sid] = {
        ...prev,
        id: sid,
        status: "running",
        engine: str(data.engine) ?? str(meta.engine) ?? prev?.engine ?? "asyncio",
        title: str(data.title) || str(meta.title) || prev?.title || sid,
        started_at:
          str(data.started_at) ?? str(data.start_time) ?? str(meta.started_at) ?? prev?.started_at ?? new Date().toISOString(),
        parent_session_id: str(data.parent_session_id) ?? str(meta.parent_session_id) ?? prev?.parent_session_id ?? null,
      };
      return;
    }
    case "SessionFinished": {
      if (!sid) return;
      pausedByEvent.delete(sid);
      const prev = d.sessions[sid];
      delete d.waiting[sid];
      // A session this page has not listed (it started between the page's list and the events the stream replays):
      // no row made up of its id and this moment; the list read after a SessionFinished brings it whole.
      if (!prev) return;
      d.sessions[sid] = {
        ...prev,
        status: str(data.status) ?? "completed",
        ended_at: str(data.ended_at) ?? str(data.end_time) ?? new Date().toISOString(),
        error: str(data.error),
      };
      return;
    }
    case "WaitingOnSignal": {
      if (!sid) return;
      pausedByEvent.add(sid);
      d.waiting[sid] = {
        signal_name: str(data.signal_name) ?? "human_input_answer",
        prompt: str(data.prompt),
        schema: (data.schema ?? data.signal_schema ?? null) as JsonSchema | null,
      };
      const prev = d.sessions[sid];
      if (prev) d.sessions[sid] = { ...prev, status: "paused" };
      return;
    }
    case "SignalReceived": {
      if (!sid) return;
      pausedByEvent.delete(sid);
      delete d.waiting[sid];
      const prev = d.sessions[sid];
      if (prev && prev.status === "paused") d.sessions[sid] = { ...prev, status: "running" };
      return;
    }
    case "StorageError": {
      const p: Problem = storageProblem(str(data.path), str(data.message));
      d.problems = [...d.problems.filter((x) => x.kind !== "storage"), p];
      return;
    }
    case "StorageRecovered":
      d.problems = d.problems.filter((x) => x.kind !== "storage");
      return;
    default:
      return;
  }
}

/** The state after a batch of events: one copy of the maps per batch, and the same object when nothing applies. */
function applyEvents(s: SessionsState, events: InspectorEvent[]): SessionsState {
  if (!events.some((e) => SESSION_EVENTS.has(e.type))) return s;
  const draft: SessionsState = { ...s, sessions: { ...s.sessions }, waiting: { ...s.waiting } };
  for (const ev of events) applyInPlace(draft, ev);
  return draft;
}

function applyEvent(s: SessionsState, ev: InspectorEvent): SessionsState {
  return applyEvents(s, [ev]);
}

let started = false;

/** Start loading sessions and following the SSE stream (idempotent). */
export function startSessions(): void {
  if (started) return;
  started = true;
  void loadSessions();
  void loadPlugins();
  let resync: ReturnType<typeof setTimeout> | null = null;
  eventStream.onEvents((events) => {
    const before = sessionsStore.get();
    const after = applyEvents(before, events);
    if (after !== before) sessionsStore.set(after);
    // finished sessions get their final span counts, and running ones their token totals, from the gateway's
    // list (at most every 2 s)
    const usage = (e: InspectorEvent): boolean => e.type === "SpanEnded" && !!(e.data.span as { usage?: unknown } | undefined)?.usage;
    if (!resync && events.some((e) => e.type === "SessionFinished" || usage(e))) {
      resync = setTimeout(() => {
        resync = null;
        void loadSessions();
      }, 2000);
    }
  });
  eventStream.onReopen(() => void loadSessions());
  eventStream.start();
  followList(
    loadSessions,
    () => lastRead,
    () => tokenRefused(authStore.get().state, eventStream.getState()),
  );
}

export function useSessions(): SessionsState {
  return useSyncExternalStore(sessionsStore.subscribe, sessionsStore.get);
}

export { applyEvent as applySessionEvent };
