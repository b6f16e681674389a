import { useSyncExternalStore } from "react";
import { eventStream, type ConnectionState } from "../lib/sse";

const TEXT: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  open: "Live",
  reconnecting: "Reconnecting…",
  offline: "Server not reachable",
  unauthorized: "Token rejected",
};

const TITLE: Record<ConnectionState, string> = {
  connecting: "Connecting to the inspector",
  open: "Receiving live updates",
  reconnecting: "The connection dropped; reconnecting",
  offline: "The inspector does not answer (stopped or restarting); retrying",
  unauthorized: "The inspector answers but does not accept this page's token: open a fresh link",
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
      title={TITLE[state]}
    >
      <span className="conn-dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
