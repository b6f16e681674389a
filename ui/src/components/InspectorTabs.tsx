// The inspector's tab bar: the three built-in tabs, and a plugin visualizer's when one claims the span.
import type { Visualizer } from "../plugins/registry";

export type TabId = "attributes" | "state" | "context" | "visualizer";

const TABS: { id: TabId; label: string }[] = [
  { id: "attributes", label: "Attributes" },
  { id: "state", label: "State / Result" },
  { id: "context", label: "Context" },
];

interface Props {
  shown: TabId;
  visualizer: Visualizer | null;
  onTab: (t: TabId) => void;
}

export function InspectorTabs({ shown, visualizer, onTab }: Props): JSX.Element {
  const tabs = visualizer ? [...TABS, { id: "visualizer" as const, label: visualizer.label ?? visualizer.id }] : TABS;
  return (
    <div className="tabs" role="tablist">
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={shown === t.id}
          className={`tab ${shown === t.id ? "active" : ""}`}
          data-testid={`tab-${t.id}`}
          title={t.id === "visualizer" && visualizer ? `Plugin visualizer ${visualizer.id}${visualizer.version ? ` ${visualizer.version}` : ""}` : undefined}
          onClick={() => onTab(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
