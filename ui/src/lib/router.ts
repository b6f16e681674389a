// Hash routes: #/ (sessions), #/session/{id}, #/session/{id}/span/{span_id}.
import { useSyncExternalStore } from "react";

export type Route =
  | { page: "sessions" }
  | { page: "session"; sessionId: string; spanId: string | null };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const m = /^\/session\/([^/]+)(?:\/span\/([^/]+))?\/?$/.exec(path);
  if (m) return { page: "session", sessionId: decodeURIComponent(m[1]), spanId: m[2] ? decodeURIComponent(m[2]) : null };
  return { page: "sessions" };
}

export function sessionHref(sessionId: string, spanId?: string | null): string {
  const base = `#/session/${encodeURIComponent(sessionId)}`;
  return spanId ? `${base}/span/${encodeURIComponent(spanId)}` : base;
}

export function navigate(hash: string, replace = false): void {
  if (location.hash === hash) return;
  if (replace) history.replaceState(history.state, "", hash);
  else history.pushState(history.state, "", hash);
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

const subscribe = (fn: () => void): (() => void) => {
  window.addEventListener("hashchange", fn);
  window.addEventListener("popstate", fn);
  return () => {
    window.removeEventListener("hashchange", fn);
    window.removeEventListener("popstate", fn);
  };
};

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => location.hash);
}
