import { useState } from "react";
import type { Problem } from "../lib/sessions";

const TITLES: Record<Problem["kind"], string> = {
  storage: "Storage problem",
  temporal: "Temporal unavailable",
  plugin: "Plugin failed",
  source: "Session source failed",
  api: "Inspector problem",
};

export function Banners({ problems }: { problems: Problem[] }): JSX.Element | null {
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const shown = problems.filter((p) => !dismissed.has(p.key + p.message));
  if (!shown.length) return null;
  return (
    <div className="banners">
      {shown.map((p) => (
        <div key={p.key} className={`banner banner-${p.kind === "plugin" ? "warn" : "error"}`} role="alert" data-testid={`banner-${p.kind}`}>
          <strong>{TITLES[p.kind]}</strong>
          <span className="banner-msg">{p.message}</span>
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss"
            onClick={() => setDismissed((d) => new Set(d).add(p.key + p.message))}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
