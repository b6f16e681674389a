import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { exchangeToken } from "./lib/auth";
import { captureToken } from "./lib/config";
import { eventStream } from "./lib/sse";
import { applyStoredTheme } from "./lib/theme";
import "./styles.css";

// ?token= of a printed link: exchanged for the gateway's HttpOnly cookie, so links and new tabs work
if (captureToken()) void exchangeToken();
// Read-only handle for end-to-end tests and debugging: connection state and the ids of the events applied.
(window as unknown as { __inspectorEvents: typeof eventStream }).__inspectorEvents = eventStream;
applyStoredTheme();
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
