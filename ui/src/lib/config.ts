// Runtime configuration: the gateway injects a JSON blob into index.html; the token comes once as ?token= (and is
// exchanged for the gateway's cookie, see auth.ts).

const TOKEN_KEY = "mcp-inspector-token";

export interface InspectorConfig {
  basePath: string;
  version?: string;
  readOnly?: boolean;
}

function readBlob(): Partial<InspectorConfig> {
  if (typeof document === "undefined") return {};
  const el = document.getElementById("inspector-config");
  if (!el?.textContent) return {};
  try {
    const parsed: unknown = JSON.parse(el.textContent);
    return parsed && typeof parsed === "object" ? (parsed as Partial<InspectorConfig>) : {};
  } catch {
    return {};
  }
}

/** The mount path (e.g. "/_inspector") derived from the page URL when the blob does not say it. */
export function basePathFromLocation(pathname: string): string {
  const i = pathname.lastIndexOf("/ui/");
  if (i >= 0) return pathname.slice(0, i);
  if (pathname.endsWith("/ui")) return pathname.slice(0, -3);
  return "/_inspector";
}

function computeConfig(): InspectorConfig {
  const blob = readBlob();
  const base = (blob.basePath ?? basePathFromLocation(location.pathname)).replace(/\/+$/, "");
  return { ...blob, basePath: base };
}

let cached: InspectorConfig | null = null;

export function config(): InspectorConfig {
  cached ??= computeConfig();
  return cached;
}

/** Keep a token for this tab (the cookie POST /auth sets serves the other tabs and later visits). */
export function rememberToken(value: string): void {
  memoryToken = value;
  try {
    sessionStorage.setItem(TOKEN_KEY, value);
  } catch {
    // storage unavailable: the in-memory copy serves this page
  }
}

/** Forget this tab's token (sign out). */
export function forgetToken(): void {
  memoryToken = null;
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage unavailable: nothing kept there
  }
}

/** Take ?token= from the first URL, drop it from the address bar; returns it (the caller exchanges it). */
export function captureToken(): string | null {
  const url = new URL(location.href);
  const found = url.searchParams.get("token");
  if (found) {
    rememberToken(found);
    url.searchParams.delete("token");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }
  return found;
}

let memoryToken: string | null = null;

export function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? memoryToken;
  } catch {
    return memoryToken;
  }
}

export function apiUrl(path: string): string {
  return `${config().basePath}${path.startsWith("/") ? path : `/${path}`}`;
}
