import { useState } from "react";
import { Highlighted } from "./Highlight";

const PAGE = 100;

function preview(value: unknown): string {
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    return `{${keys.slice(0, 4).join(", ")}${keys.length > 4 ? ", …" : ""}}`;
  }
  return "";
}

function Scalar({ value }: { value: unknown }): JSX.Element {
  if (value === null) return <span className="j-null">null</span>;
  if (typeof value === "string")
    return (
      <span className="j-str">
        "<Highlighted text={value} />"
      </span>
    );
  if (typeof value === "number") return <span className="j-num">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="j-bool">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth, defaultDepth }: { name: string | null; value: unknown; depth: number; defaultDepth: number }): JSX.Element {
  const isContainer = value !== null && typeof value === "object";
  const [open, setOpen] = useState(depth < defaultDepth);
  const [limit, setLimit] = useState(PAGE);
  const label = name !== null ? <span className="j-key">{name}: </span> : null;
  if (!isContainer) {
    return (
      <div className="j-row">
        <span className="j-caret-space" />
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  const empty = entries.length === 0;
  return (
    <div className="j-node">
      <div className="j-row j-toggle" onClick={() => !empty && setOpen(!open)} role="button" tabIndex={-1} aria-expanded={open}>
        <span className="j-caret">{empty ? "" : open ? "▾" : "▸"}</span>
        {label}
        {empty ? (
          <span className="j-punct">{Array.isArray(value) ? "[]" : "{}"}</span>
        ) : (
          <span className="j-preview">{preview(value)}</span>
        )}
      </div>
      {open && !empty && (
        <div className="j-children">
          {entries.slice(0, limit).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} defaultDepth={defaultDepth} />
          ))}
          {entries.length > limit && (
            <button type="button" className="link-btn j-more" onClick={() => setLimit(limit + PAGE * 5)}>
              Show more ({entries.length - limit} left)
            </button>
          )}
        </div>
      )}
    </div>
  );
}

export function JsonTree({ value, defaultDepth = 2 }: { value: unknown; defaultDepth?: number }): JSX.Element {
  return (
    <div className="json-tree mono" data-testid="json-tree">
      <Node name={null} value={value} depth={0} defaultDepth={defaultDepth} />
    </div>
  );
}
