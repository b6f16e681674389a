// The inspector's State / Result tab: the span's *_json attributes as JSON trees (raw text when not valid JSON).
import { useMemo } from "react";
import type { Attributes } from "../lib/types";
import { jsonAttributes } from "./inspectorData";
import { JsonTree } from "./JsonTree";

export function StateTab({ attrs }: { attrs: Attributes }): JSX.Element {
  const items = useMemo(() => jsonAttributes(attrs), [attrs]);
  if (!items.length) return <p className="dim pad" data-testid="state-panel">No state or result captured on this span (no <span className="mono">*_json</span> attributes).</p>;
  return (
    <div data-testid="state-panel">
      {items.map((it) => (
        <section key={it.key} className="json-section" data-testid="json-attr" data-key={it.key}>
          <header className="json-section-head">
            <span className="mono strong">{it.key}</span>
            {it.truncated && (
              <span className="tag tag-warn" data-testid="truncated-flag" title="The value was longer than 30,720 characters and was cut">
                truncated
              </span>
            )}
            <button type="button" className="link-btn copy-btn" onClick={() => void navigator.clipboard?.writeText(it.raw)}>
              copy
            </button>
          </header>
          {it.valid ? (
            <JsonTree value={it.value} />
          ) : (
            <>
              <p className="dim small">Not valid JSON{it.truncated ? " (cut at 30,720 characters)" : ""}; the raw text:</p>
              <pre className="code">{it.raw}</pre>
            </>
          )}
        </section>
      ))}
    </div>
  );
}
