import { useSyncExternalStore } from "react";
import { eventStream, type ConnectionState } from "../lib/sse";

const TEXT: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

const subscribe = (fn: () => void): (() => void) => eventStream.onState(fn);

export function ConnectionIndicator(): JSX.Element {
  const state = useSyncExternalStore(subscribe, () => eventStream.getState());
  return (
    <span
      className={`conn conn-${state}`}
      data-testid="sse-status"
      data-state={state}
      role="status"
      aria-live="polite"
      title={state === "open" ? "Receiving live updates" : "Live updates are paused until the connection is back"}
    >
      <span className="conn-dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
