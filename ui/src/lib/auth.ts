// Auth state of the page: the URL token is exchanged for an HttpOnly cookie (POST /auth), so links and new tabs
// work; a 401 anywhere means "token rejected" (stop retrying, say how to get a fresh link), while no answer at all
// means "server not reachable" (retry). Signing out (DELETE /auth) clears the cookie and this tab's token.
import { useSyncExternalStore } from "react";
import { apiUrl, forgetToken, rememberToken, token } from "./config";
import type { ConnectionState } from "./sse";
import { Store } from "./store";

export type AuthState = "unknown" | "ok" | "rejected" | "signedOut";
export type Probe = "ok" | "rejected" | "unreachable";

export const authStore = new Store<{ state: AuthState }>({ state: "unknown" });

/** Whether this page's token is refused (signed out, or rejected by a request or by the event stream): the token
 * banner shows, and nothing that would get a 401 is sent. */
export function tokenRefused(auth: AuthState, conn: ConnectionState): boolean {
  return auth === "signedOut" || auth === "rejected" || conn === "unauthorized";
}

export function markRejected(): void {
  if (authStore.get().state !== "rejected") authStore.set({ state: "rejected" });
}

export function markOk(): void {
  if (authStore.get().state !== "ok") authStore.set({ state: "ok" });
}

async function ask(method: "GET" | "POST", given: string | null): Promise<Probe> {
  try {
    const res = await fetch(apiUrl("/auth"), {
      method,
      credentials: "same-origin",
      headers: given ? { "X-Inspector-Token": given } : {},
    });
    if (res.status === 401) return "rejected";
    return res.ok ? "ok" : "unreachable";
  } catch {
    return "unreachable";
  }
}

/** GET /auth: is this page (its token or cookie) still accepted? */
export async function probeAuth(): Promise<Probe> {
  const result = await ask("GET", token());
  if (result === "rejected") markRejected();
  else if (result === "ok") markOk();
  return result;
}

/** POST /auth with a token: the gateway sets its cookie; the token is kept for this tab too. */
export async function exchangeToken(given: string | null = token()): Promise<Probe> {
  if (!given) return probeAuth();
  const result = await ask("POST", given);
  if (result === "ok") {
    rememberToken(given);
    markOk();
  } else if (result === "rejected") {
    markRejected();
  }
  return result;
}

/** DELETE /auth: the gateway clears its cookie; this tab forgets its token. False when the server did not answer. */
export async function signOut(): Promise<boolean> {
  const given = token();
  try {
    const res = await fetch(apiUrl("/auth"), {
      method: "DELETE",
      credentials: "same-origin",
      headers: given ? { "X-Inspector-Token": given } : {},
    });
    if (!res.ok && res.status !== 401) return false; // 401: already signed out
  } catch {
    return false;
  }
  forgetToken();
  authStore.set({ state: "signedOut" });
  return true;
}

/** A pasted link (…/ui/?token=…#/…) or a bare token, as the token; null when it holds none. */
export function tokenFromInput(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const m = /[?&]token=([A-Za-z0-9._~-]+)/.exec(trimmed);
  if (m) return m[1];
  return /^[A-Za-z0-9._~-]{16,256}$/.test(trimmed) ? trimmed : null;
}

export function useAuth(): AuthState {
  return useSyncExternalStore(authStore.subscribe, () => authStore.get().state);
}
