import { useEffect, useMemo, useRef, useState } from "react";
import { onVisualizersChanged, visualizerFor } from "../plugins/registry";
import { formatDuration, formatStart, parseTime } from "../lib/time";
import type { Attributes, SpanRecord, SpanSummary } from "../lib/types";
import type { SpanDetail } from "../trace/useTrace";
import { firstMatch } from "../lib/search";
import { ChatView } from "./ChatView";
import { Highlighted, useHighlightTerms } from "./Highlight";
import { contextView, jsonAttributes } from "./inspectorData";
import { eventView } from "./eventView";
import { SpanUsage } from "./SpanUsage";
import { JsonTree } from "./JsonTree";
import { VisualizerTab } from "./VisualizerTab";

export type TabId = "attributes" | "state" | "context" | "visualizer";

const TABS: { id: TabId; label: string }[] = [
  { id: "attributes", label: "Attributes" },
  { id: "state", label: "State / Result" },
  { id: "context", label: "Context" },
];

function statusText(rec: SpanRecord | SpanSummary | null, running: boolean): { code: string; message: string | null } {
  if (running) return { code: "RUNNING", message: null };
  const st = rec?.status;
  if (!st) return { code: "UNSET", message: null };
  if (typeof st === "string") return { code: st.toUpperCase(), message: null };
  return { code: (st.code ?? "UNSET").toUpperCase(), message: st.message ?? null };
}

function ValueCell({ value }: { value: unknown }): JSX.Element {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const terms = useHighlightTerms();
  // a search match past the cut is shown: the value opens
  const [open, setOpen] = useState(() => firstMatch(text, terms) >= 240);
  if (text.length <= 240 || open) {
    return (
      <span className={`attr-val ${typeof value === "string" ? "" : "j-num"}`}>
        <Highlighted text={text} />
      </span>
    );
  }
  return (
    <span className="attr-val">
      <Highlighted text={text.slice(0, 240)} />…{" "}
      <button type="button" className="link-btn" onClick={() => setOpen(true)}>
        show all ({text.length.toLocaleString()} chars)
      </button>
    </span>
  );
}

function AttributesTab({ attrs, rec }: { attrs: Attributes; rec: SpanRecord | SpanSummary | null }): JSX.Element {
  const keys = Object.keys(attrs).sort();
  const events = rec && "events" in rec && Array.isArray(rec.events) ? rec.events : [];
  return (
    <div data-testid="attributes-panel">
      {keys.length === 0 ? (
        <p className="dim pad">No attributes{rec && "type" in rec && rec.type === "span" ? "" : " yet: they are written when the span ends"}.</p>
      ) : (
        <table className="attr-table">
          <tbody>
            {keys.map((k) => (
              <tr key={k} data-testid="attr-row" data-key={k}>
                <th className="mono">{k}</th>
                <td className="mono">
                  <ValueCell value={attrs[k]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {events.length > 0 && (
        <>
          <h4 className="section-title">Events</h4>
          <ul className="events">
            {events.map(eventView).map((e, i) => (
              <li key={i} data-testid="span-event" data-name={e.name}>
                <span className="mono strong">{e.name}</span> <span className="dim mono">{e.time}</span>
                {(e.answer !== null || e.action !== null) && (
                  <div className="event-answer" data-testid="resume-answer">
                    {e.action !== null && <span className="tag">{e.action}</span>} {e.answer !== null && <>answered: <span className="mono">{e.answer}</span></>}
                  </div>
                )}
                {Object.keys(e.attributes).length > 0 && <JsonTree value={e.attributes} defaultDepth={1} />}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function StateTab({ attrs }: { attrs: Attributes }): JSX.Element {
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

function ContextTab({ attrs }: { attrs: Attributes }): JSX.Element {
  const ctx = useMemo(() => contextView(attrs), [attrs]);
  if (ctx.kind === "none") return <p className="dim pad" data-testid="context-panel">No LLM messages or tool call on this span.</p>;
  return (
    <div data-testid="context-panel" data-kind={ctx.kind}>
      {(ctx.model || ctx.inputTokens !== null) && (
        <div className="ctx-meta">
          {ctx.model && <span className="tag">{ctx.model}</span>}
          {ctx.inputTokens !== null && (
            <span className="tag" title="Input / output tokens">
              {ctx.inputTokens.toLocaleString()} in · {(ctx.outputTokens ?? 0).toLocaleString()} out
            </span>
          )}
          {ctx.truncated && <span className="tag tag-warn" data-testid="truncated-flag">truncated</span>}
        </div>
      )}
      <h4 className="section-title">{ctx.kind === "llm" ? "Prompt" : "Call"}</h4>
      <ChatView messages={ctx.prompt} />
      <h4 className="section-title">{ctx.kind === "llm" ? "Response" : "Result"}</h4>
      {ctx.response.length ? <ChatView messages={ctx.response} /> : <p className="dim pad">No response recorded (yet).</p>}
    </div>
  );
}

export interface InspectorProps {
  detail: SpanDetail | null;
  running: boolean;
  tab: TabId;
  onTab: (t: TabId) => void;
  link: string;
}

export function Inspector({ detail, running, tab, onTab, link }: InspectorProps): JSX.Element {
  const [, setPluginVersion] = useState(0);
  useEffect(() => onVisualizersChanged(() => setPluginVersion((v) => v + 1)), []);
  const terms = useHighlightTerms();
  const bodyRef = useRef<HTMLDivElement>(null);
  // opened from a search hit: bring the first marked match into view
  useEffect(() => {
    if (terms.length) bodyRef.current?.querySelector("mark.search-mark")?.scrollIntoView({ block: "center" });
  }, [terms, detail, tab]);
  if (!detail) {
    return (
      <aside className="inspector" data-testid="inspector">
        <p className="dim pad">Select a span to see its attributes, state and LLM context.</p>
      </aside>
    );
  }
  const rec = detail.full ?? detail.started;
  const attrs: Attributes = (detail.full?.attributes ?? (detail.started && "attributes" in detail.started ? detail.started.attributes : undefined)) ?? {};
  const visualizer = visualizerFor(rec);
  const shownTab: TabId = tab === "visualizer" && !visualizer ? "attributes" : tab;
  let st = statusText(rec, running && !detail.full);
  if (st.code === "UNSET" && typeof attrs["mcp.status.code"] === "string") {
    st = { code: attrs["mcp.status.code"].toUpperCase(), message: st.message };
  }
  const start = parseTime(rec?.start_time);
  const end = parseTime(rec?.end_time ?? undefined);
  return (
    <aside className="inspector" data-testid="inspector" data-span-id={detail.id}>
      <div className="inspector-head">
        <div className="inspector-title mono" data-testid="inspector-title" title={rec?.name}>
          <Highlighted text={rec?.name ?? detail.id} />
        </div>
        <div className="inspector-meta">
          <span className={`tag tag-st-${st.code.toLowerCase()}`}>{st.code}</span>
          <span className="mono" title={rec?.start_time ?? ""}>
            {running && !detail.full ? `since ${formatStart(rec?.start_time)}` : formatDuration(end - start)}
          </span>
          <span className="mono dim" title="span id">{detail.id}</span>
          <a className="link-btn" href={link} title="Link to this span">
            link
          </a>
        </div>
        <SpanUsage attrs={attrs} />
        {st.message && <div className="error-line">{st.message}</div>}
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={shownTab === t.id}
            className={`tab ${shownTab === t.id ? "active" : ""}`}
            data-testid={`tab-${t.id}`}
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
        {visualizer && (
          <button
            type="button"
            role="tab"
            aria-selected={shownTab === "visualizer"}
            className={`tab ${shownTab === "visualizer" ? "active" : ""}`}
            data-testid="tab-visualizer"
            title={`Plugin visualizer ${visualizer.id}${visualizer.version ? ` ${visualizer.version}` : ""}`}
            onClick={() => onTab("visualizer")}
          >
            {visualizer.label ?? visualizer.id}
          </button>
        )}
      </div>
      <div className="tab-body" role="tabpanel" ref={bodyRef}>
        {shownTab === "attributes" && <AttributesTab attrs={attrs} rec={rec} />}
        {shownTab === "state" && <StateTab attrs={attrs} />}
        {shownTab === "context" && <ContextTab attrs={attrs} />}
        {shownTab === "visualizer" && visualizer && rec && <VisualizerTab visualizer={visualizer} span={rec} />}
      </div>
    </aside>
  );
}
