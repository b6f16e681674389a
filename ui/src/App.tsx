import { useEffect, useMemo } from "react";
import { AuthBanner } from "./components/AuthBanner";
import { ConnectionIndicator } from "./components/ConnectionIndicator";
import { SignOutButton } from "./components/SignOutButton";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { HighlightTerms } from "./components/Highlight";
import { ThemeToggle } from "./components/ThemeToggle";
import { parseHash, useHash, type Route } from "./lib/router";
import { loadPrices } from "./lib/prices";
import { queryTerms } from "./lib/search";
import { startSessions } from "./lib/sessions";
import { ComparePage } from "./pages/ComparePage";
import { DebuggerPage } from "./pages/DebuggerPage";
import { ProtocolPage } from "./pages/ProtocolPage";
import { RegistryPage } from "./pages/RegistryPage";
import { SessionsPage } from "./pages/SessionsPage";
import { loadUiPlugins } from "./plugins/registry";
import { prewarmTraceWorker } from "./trace/useTrace";

function Page({ route, terms }: { route: Route; terms: readonly string[] }): JSX.Element {
  switch (route.page) {
    case "session":
      return (
        <HighlightTerms.Provider value={terms}>
          <DebuggerPage sessionId={route.sessionId} spanId={route.spanId} />
        </HighlightTerms.Provider>
      );
    case "protocol":
      return <ProtocolPage key={route.sessionId} sessionId={route.sessionId} />; // a session's own state, never the last one's
    case "registry":
      return <RegistryPage />;
    case "compare":
      return <ComparePage left={route.left} right={route.right} />;
    default:
      return <SessionsPage />;
  }
}

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
          <a href="#/registry" className={route.page === "registry" ? "active" : ""} data-testid="nav-registry">
            Resources &amp; prompts
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
          <SignOutButton />
        </div>
      </header>
      <AuthBanner />
      <main className="main">
        <ErrorBoundary resetKey={hash}>
          <Page route={route} terms={terms} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
