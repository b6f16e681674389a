// Hash routes: #/ (sessions), #/session/{id}, #/session/{id}/span/{span_id}; ?hl=... carries the search that led
// to the span (its terms are marked in the inspector); #/session/{id}/protocol (its JSON-RPC messages),
// #/registry (resources and prompts across sessions), #/compare/{a}/{b} (two runs side by side).
import { useSyncExternalStore } from "react";

export type Route =
  | { page: "sessions" }
  | { page: "registry" }
  | { page: "protocol"; sessionId: string }
  | { page: "compare"; left: string; right: string }
  | { page: "session"; sessionId: string; spanId: string | null; highlight: string | null };

export function parseHash(hash: string): Route {
  const [path, search = ""] = hash.replace(/^#/, "").split("?", 2);
  if (/^\/registry\/?$/.test(path)) return { page: "registry" };
  const proto = /^\/session\/([^/]+)\/protocol\/?$/.exec(path);
  if (proto) return { page: "protocol", sessionId: decodeURIComponent(proto[1]) };
  const cmp = /^\/compare\/([^/]+)\/([^/]+)\/?$/.exec(path);
  if (cmp) return { page: "compare", left: decodeURIComponent(cmp[1]), right: decodeURIComponent(cmp[2]) };
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

export const protocolHref = (sessionId: string): string => `#/session/${encodeURIComponent(sessionId)}/protocol`;
export const compareHref = (left: string, right: string): string =>
  `#/compare/${encodeURIComponent(left)}/${encodeURIComponent(right)}`;
export const REGISTRY_HREF = "#/registry";

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
