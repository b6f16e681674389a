const LABELS: Record<string, string> = {
  running: "Running",
  paused: "Paused",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function StatusBadge({ status, title }: { status: string; title?: string }): JSX.Element {
  const known = status in LABELS ? status : "unknown";
  const label = LABELS[status] ?? status;
  return (
    <span
      className={`badge badge-${known}`}
      data-testid="status-badge"
      data-status={status}
      role="status"
      aria-label={`Status: ${label}`}
      title={title ?? (status === "paused" ? "Waiting on a signal (human input)" : label)}
    >
      <span className="badge-dot" aria-hidden="true" />
      {status === "paused" ? "PAUSED" : label}
    </span>
  );
}

export function EngineTag({ engine }: { engine: string }): JSX.Element {
  return (
    <span className={`tag tag-engine tag-${engine.replace(/[^a-z-]/gi, "")}`} data-testid="engine-tag" title={`Engine: ${engine}`}>
      {engine}
    </span>
  );
}
