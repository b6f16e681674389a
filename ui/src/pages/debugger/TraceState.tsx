// What the tree pane shows when there is no tree to show: loading, an error, or no spans.
import type { TraceState } from "../../trace/useTrace";

export function TraceStateView({ state, live }: { state: TraceState; live: boolean }): JSX.Element {
  if (state.loading) {
    return (
      <div className="empty-state" data-testid="trace-loading">
        Loading trace… {state.progress ? `${state.progress.toLocaleString()} spans` : ""}
      </div>
    );
  }
  if (state.error) {
    return (
      <div className="empty-state" data-testid="trace-error">
        <h2>{state.errorStatus === 404 && live ? "Waiting for the first spans…" : "The trace could not be shown"}</h2>
        <p>{state.error}</p>
        <p>
          <a href="#/">Back to sessions</a>
        </p>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="trace-empty">
      No spans recorded {live ? "yet" : "for this session"}.
    </div>
  );
}
