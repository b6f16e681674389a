// The inspector of the selected span: its head, the tab bar and the open tab.
import { useEffect, useRef, useState } from "react";
import type { Attributes } from "../lib/types";
import { onVisualizersChanged, visualizerFor } from "../plugins/registry";
import type { SpanDetail } from "../trace/useTrace";
import { AttributesTab } from "./AttributesTab";
import { ContextTab } from "./ContextTab";
import { useHighlightTerms } from "./Highlight";
import { InspectorHead } from "./InspectorHead";
import { InspectorTabs, type TabId } from "./InspectorTabs";
import { StateTab } from "./StateTab";
import { VisualizerTab } from "./VisualizerTab";

export type { TabId } from "./InspectorTabs";

export interface InspectorProps {
  /** the span to show (null: none selected) */
  spanId: string | null;
  /** the last record read: `spanId`'s, or while that one is read the one shown before (shown dimmed) */
  detail: SpanDetail | null;
  /** `spanId`'s record was asked for and none came (no such record, or the inspector could not be reached) */
  missing: boolean;
  running: boolean;
  tab: TabId;
  onTab: (t: TabId) => void;
  link: string;
}

export function Inspector({ spanId, detail, missing, running, tab, onTab, link }: InspectorProps): JSX.Element {
  const [, setPluginVersion] = useState(0);
  useEffect(() => onVisualizersChanged(() => setPluginVersion((v) => v + 1)), []);
  const terms = useHighlightTerms();
  const bodyRef = useRef<HTMLDivElement>(null);
  // opened from a search hit: bring the first marked match into view
  useEffect(() => {
    if (terms.length) bodyRef.current?.querySelector("mark.search-mark")?.scrollIntoView({ block: "center" });
  }, [terms, detail, tab]);
  if (!detail) {
    const text = !spanId
      ? "Select a span to see its attributes, state and LLM context."
      : missing
        ? "This span's record could not be read: the inspector may be unreachable, or the span not written yet."
        : "Reading the span's record…";
    return (
      <aside className="inspector" data-testid="inspector">
        <p className="dim pad" data-testid="inspector-note">
          {text}
        </p>
      </aside>
    );
  }
  const rec = detail.full ?? detail.started;
  const attrs: Attributes = (detail.full?.attributes ?? (detail.started && "attributes" in detail.started ? detail.started.attributes : undefined)) ?? {};
  const visualizer = visualizerFor(rec);
  const shownTab: TabId = tab === "visualizer" && !visualizer ? "attributes" : tab;
  return (
    <aside className={`inspector ${detail.id !== spanId ? "stale" : ""}`} data-testid="inspector" data-span-id={detail.id}>
      <InspectorHead id={detail.id} rec={rec} attrs={attrs} running={running && !detail.full} link={link} />
      <InspectorTabs shown={shownTab} visualizer={visualizer} onTab={onTab} />
      <div className="tab-body" role="tabpanel" ref={bodyRef}>
        {shownTab === "attributes" && <AttributesTab attrs={attrs} rec={rec} />}
        {shownTab === "state" && <StateTab attrs={attrs} />}
        {shownTab === "context" && <ContextTab attrs={attrs} />}
        {shownTab === "visualizer" && visualizer && rec && <VisualizerTab visualizer={visualizer} span={rec} />}
      </div>
    </aside>
  );
}
