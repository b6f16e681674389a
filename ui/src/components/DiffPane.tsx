import { JsonTree } from "./JsonTree";
import type { AttributeDiff } from "../lib/spanDiff";

function parse(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The differing attributes of a pair of aligned spans, A beside B. */
export function DiffPane({ diffs, title }: { diffs: AttributeDiff[] | null; title: string }): JSX.Element {
  return (
    <aside className="inspector diff-pane" data-testid="diff-pane">
      <div className="inspector-head">
        <div className="inspector-title mono">{title}</div>
      </div>
      {diffs === null ? (
        <p className="dim pad">Select a span to compare its prompt, output and tokens.</p>
      ) : diffs.length === 0 ? (
        <p className="dim pad" data-testid="diff-same">
          Same prompt, output and tokens in both runs.
        </p>
      ) : (
        diffs.map((d) => (
          <section key={d.key} className="diff-item" data-testid="diff-item" data-key={d.key}>
            <h4 className="section-title mono">{d.key}</h4>
            <div className="diff-sides">
              <div>
                <div className="dim small">A</div>
                {d.left === undefined ? <span className="dim">absent</span> : <JsonTree value={parse(d.left)} />}
              </div>
              <div>
                <div className="dim small">B</div>
                {d.right === undefined ? <span className="dim">absent</span> : <JsonTree value={parse(d.right)} />}
              </div>
            </div>
          </section>
        ))
      )}
    </aside>
  );
}
