// The span tree's column heads, with the waterfall's time ticks.
import { formatDuration } from "../lib/time";

export function TreeHead({ total }: { total: number }): JSX.Element {
  const ticks = [0, 0.25, 0.5, 0.75].map((f) => ({ pct: f * 100, label: f === 0 ? "0" : formatDuration(total * f) }));
  return (
    <div className="tree-head">
      <div className="tree-col-name">Span</div>
      <div className="tree-col-dur">Duration</div>
      <div className="tree-col-wf">
        {ticks.map((t) => (
          <span key={t.pct} className="tick" style={{ left: `${t.pct}%` }}>
            {t.label}
          </span>
        ))}
      </div>
    </div>
  );
}
