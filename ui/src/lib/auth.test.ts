// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { authStore, signOut } from "./auth";
import { rememberToken, token } from "./config";

afterEach(() => {
  vi.unstubAllGlobals();
  authStore.set({ state: "unknown" });
});

describe("signOut", () => {
  it("sends DELETE /auth with the tab's token, then forgets the token and says signed out", async () => {
    rememberToken("t".repeat(32));
    const fetchMock = vi.fn(async () => new Response('{"authenticated":false}', { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    expect(await signOut()).toBe(true);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/_inspector/auth");
    expect(init.method).toBe("DELETE");
    expect(init.credentials).toBe("same-origin");
    expect(init.headers).toEqual({ "X-Inspector-Token": "t".repeat(32) });
    expect(token()).toBeNull();
    expect(authStore.get().state).toBe("signedOut");
  });

  it("keeps the token and the state when the server does not answer", async () => {
    rememberToken("u".repeat(32));
    authStore.set({ state: "ok" });
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("network"))));
    expect(await signOut()).toBe(false);
    expect(token()).toBe("u".repeat(32));
    expect(authStore.get().state).toBe("ok");
  });
});
