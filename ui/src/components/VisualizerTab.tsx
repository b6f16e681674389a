import { useEffect, useRef, useState } from "react";
import type { PluginSpan, Visualizer } from "../plugins/registry";

/** Renders a plugin visualizer into its own element; a throwing plugin shows an error, never a blank tab. */
export function VisualizerTab({ visualizer, span }: { visualizer: Visualizer; span: PluginSpan }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setError(null);
    let cleanup: void | (() => void);
    try {
      cleanup = visualizer.render(el, span);
    } catch (e) {
      setError((e as Error).message || "the visualizer failed");
    }
    return () => {
      try {
        if (typeof cleanup === "function") cleanup();
      } catch {
        // a plugin's cleanup failing must not break the page
      }
      el.replaceChildren();
    };
  }, [visualizer, span]);
  return (
    <div data-testid="visualizer-panel" data-visualizer={visualizer.id}>
      {error && <p className="field-error pad">Visualizer {visualizer.id} failed: {error}</p>}
      <div ref={ref} className="visualizer-root" />
    </div>
  );
}
