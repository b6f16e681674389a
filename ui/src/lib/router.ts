// Hash routes: #/ (sessions), #/session/{id}, #/session/{id}/span/{span_id}; ?hl=... carries the search that led
// to the span (its terms are marked in the inspector).
import { useSyncExternalStore } from "react";

export type Route =
  | { page: "sessions" }
  | { page: "session"; sessionId: string; spanId: string | null; highlight: string | null };

export function parseHash(hash: string): Route {
  const [path, search = ""] = hash.replace(/^#/, "").split("?", 2);
  const m = /^\/session\/([^/]+)(?:\/span\/([^/]+))?\/?$/.exec(path);
  if (m) {
    const highlight = new URLSearchParams(search).get("hl");
    return {
      page: "session",
      sessionId: decodeURIComponent(m[1]),
      spanId: m[2] ? decodeURIComponent(m[2]) : null,
      highlight: highlight || null,
    };
  }
  return { page: "sessions" };
}

export function sessionHref(sessionId: string, spanId?: string | null, highlight?: string | null): string {
  const base = `#/session/${encodeURIComponent(sessionId)}`;
  const href = spanId ? `${base}/span/${encodeURIComponent(spanId)}` : base;
  return highlight ? `${href}?${new URLSearchParams({ hl: highlight }).toString()}` : href;
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
