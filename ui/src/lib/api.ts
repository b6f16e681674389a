// Fetch wrappers for the gateway API: token header, JSON errors turned into sentences.
import { markRejected } from "./auth";
import { apiUrl, token } from "./config";
import type { PluginInfo, SessionsResponse } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const STATUS_WORDS: Record<number, string> = {
  400: "The request was not valid",
  401: "Token rejected: this inspector does not accept this page's link. Open a fresh link (printed by the app, or `mcp-agent-inspector url`)",
  403: "This action is not allowed here (the inspector may be read-only)",
  404: "Not found",
  409: "The session is not waiting for this signal any more",
  413: "The request is too large",
  416: "The requested range is not available",
  422: "The answer does not match what the workflow expects",
  503: "The inspector is busy; try again in a moment",
};

export function authHeaders(): Record<string, string> {
  const t = token();
  return t ? { "X-Inspector-Token": t } : {};
}

async function errorFrom(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = STATUS_WORDS[res.status] ?? `The inspector answered ${res.status} ${res.statusText}`.trim();
  try {
    const body: unknown = await res.json();
    const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (err && typeof err.message === "string" && err.message && res.status !== 401) {
      message = err.message;
      if (typeof err.code === "string") code = err.code;
    }
  } catch {
    // not JSON: keep the words for the status
  }
  return new ApiError(res.status, code, message);
}

export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      ...init,
      credentials: "same-origin",
      headers: { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) },
    });
  } catch {
    throw new ApiError(
      0,
      "network",
      "Server not reachable. Is the app (or mcp-agent-inspector serve) still running? The page reconnects by itself.",
    );
  }
  if (res.status === 401) markRejected();
  if (!res.ok) throw await errorFrom(res);
  return res;
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await apiFetch(path);
  return (await res.json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await apiFetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export const getSessions = (): Promise<SessionsResponse> => getJson<SessionsResponse>("/sessions");

export interface PluginsResponse {
  plugins?: PluginInfo[];
  failed?: PluginInfo[];
}
export const getPlugins = (): Promise<PluginsResponse> => getJson<PluginsResponse>("/plugins");

export const sendSignal = (sessionId: string, signal: string, payload: unknown): Promise<unknown> =>
  postJson(`/signal/${encodeURIComponent(sessionId)}`, { signal, payload });

export const cancelSession = (sessionId: string): Promise<unknown> =>
  postJson(`/cancel/${encodeURIComponent(sessionId)}`, {});

export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message || "Something went wrong";
  return "Something went wrong";
}

