import { useEffect, useMemo } from "react";
import { AuthBanner } from "./components/AuthBanner";
import { ConnectionIndicator } from "./components/ConnectionIndicator";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { HighlightTerms } from "./components/Highlight";
import { ThemeToggle } from "./components/ThemeToggle";
import { parseHash, useHash } from "./lib/router";
import { loadPrices } from "./lib/prices";
import { queryTerms } from "./lib/search";
import { startSessions } from "./lib/sessions";
import { DebuggerPage } from "./pages/DebuggerPage";
import { SessionsPage } from "./pages/SessionsPage";
import { loadUiPlugins } from "./plugins/registry";
import { prewarmTraceWorker } from "./trace/useTrace";

export function App(): JSX.Element {
  const hash = useHash();
  const route = parseHash(hash);
  const highlight = route.page === "session" ? route.highlight : null;
  const terms = useMemo(() => queryTerms(highlight ?? ""), [highlight]);
  useEffect(() => {
    startSessions();
    loadPrices();
    void loadUiPlugins();
    const t = setTimeout(prewarmTraceWorker, 300);
    return () => clearTimeout(t);
  }, []);
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/" data-testid="nav-home">
          <span className="brand-mark" aria-hidden="true" />
          mcp-agent <span className="brand-sub">inspector</span>
        </a>
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href="#/" className={route.page === "sessions" ? "active" : ""}>
            Sessions
          </a>
          {route.page === "session" && (
            <>
              <span className="crumb-sep">/</span>
              <span className="crumb-current mono" title={route.sessionId}>
                {route.sessionId}
              </span>
            </>
          )}
        </nav>
        <div className="topbar-right">
          <ConnectionIndicator />
          <ThemeToggle />
        </div>
      </header>
      <AuthBanner />
      <main className="main">
        <ErrorBoundary resetKey={hash}>
          {route.page === "session" ? (
            <HighlightTerms.Provider value={terms}>
              <DebuggerPage sessionId={route.sessionId} spanId={route.spanId} />
            </HighlightTerms.Provider>
          ) : (
            <SessionsPage />
          )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
