import { useRef, useState } from "react";
import { apiFetch, describeError } from "../lib/api";

const FORMATS = [
  { id: "otlp", label: "OTLP/JSON", hint: "for Jaeger, Phoenix or any OTLP tool", query: "?format=otlp", ext: "otlp.json", type: "application/json" },
  { id: "jsonl", label: "Raw JSONL", hint: "the trace file's records, uncompressed", query: "", ext: "jsonl", type: "application/x-ndjson" },
] as const;

/** The trace text without a torn last line (a live file may end mid-record). */
function completeLines(text: string): string {
  if (!text || text.endsWith("\n")) return text;
  const cut = text.lastIndexOf("\n");
  const last = text.slice(cut + 1);
  try {
    JSON.parse(last);
    return `${text}\n`;
  } catch {
    return text.slice(0, cut + 1);
  }
}

function save(name: string, body: string, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Export the session as OTLP/JSON or raw JSONL (fetched with the page's credentials, saved as a file). */
export function ExportMenu({ sessionId }: { sessionId: string }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const run = async (f: (typeof FORMATS)[number]): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const res = await apiFetch(`/trace/${encodeURIComponent(sessionId)}${f.query}`);
      const text = await res.text();
      save(`${sessionId}.${f.ext}`, f.id === "jsonl" ? completeLines(text) : text, f.type);
      if (menu.current) menu.current.open = false;
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="export-menu" data-testid="export-menu" ref={menu}>
      <summary className="btn btn-small" title="Download this session">
        {busy ? "Exporting…" : "Export"}
      </summary>
      <div className="export-list" role="menu">
        {FORMATS.map((f) => (
          <button key={f.id} type="button" role="menuitem" className="export-item" data-testid={`export-${f.id}`} disabled={busy} onClick={() => void run(f)}>
            <strong>{f.label}</strong>
            <span className="dim small">{f.hint}</span>
          </button>
        ))}
        {error && (
          <div className="text-error small" data-testid="export-error">
            {error}
          </div>
        )}
      </div>
    </details>
  );
}
