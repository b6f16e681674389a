// UI plugins (docs/plugins.md): the gateway lists each plugin's entry script in the config blob; the page loads
// them, then dispatches `inspector:init` whose detail.registerVisualizer({...}) adds a visualizer. Framework-neutral:
// a visualizer renders into a DOM element and may return a cleanup function.
import { config } from "../lib/config";
import { sessionsStore, type Problem } from "../lib/sessions";
import type { SpanRecord, SpanSummary } from "../lib/types";

export type PluginSpan = SpanRecord | SpanSummary;

export interface Visualizer {
  id: string;
  version?: string;
  priority?: number;
  /** A short tab label; defaults to the id. */
  label?: string;
  matches(span: PluginSpan): boolean;
  render(element: HTMLElement, span: PluginSpan): void | (() => void);
}

const visualizers = new Map<string, Visualizer>();
const listeners = new Set<() => void>();

export function registerVisualizer(v: Visualizer): void {
  if (!v || typeof v.id !== "string" || typeof v.matches !== "function" || typeof v.render !== "function") {
    throw new TypeError("registerVisualizer needs {id, matches(span), render(element, span)}");
  }
  visualizers.set(v.id, v);
  for (const fn of listeners) fn();
}

export function onVisualizersChanged(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The matching visualizer with the highest priority, if any; a throwing matcher never matches. */
export function visualizerFor(span: PluginSpan | null): Visualizer | null {
  if (!span) return null;
  let best: Visualizer | null = null;
  for (const v of visualizers.values()) {
    let ok = false;
    try {
      ok = v.matches(span);
    } catch {
      ok = false;
    }
    if (ok && (!best || (v.priority ?? 0) > (best.priority ?? 0))) best = v;
  }
  return best;
}

interface PluginEntry {
  name: string;
  entry: string;
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const el = document.createElement("script");
    el.type = "module";
    el.src = src;
    el.onload = () => resolve();
    el.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(el);
  });
}

function pluginProblem(name: string, message: string): void {
  const p: Problem = { key: `ui-plugin-${name}`, kind: "plugin", message: `UI plugin ${name}: ${message}` };
  sessionsStore.set((s) => ({ problems: [...s.problems.filter((x) => x.key !== p.key), p] }));
}

let started = false;

/** Load the UI plugins named in the config blob, then dispatch `inspector:init` once. */
export async function loadUiPlugins(): Promise<void> {
  if (started) return;
  started = true;
  const raw = (config() as unknown as { plugins?: unknown }).plugins;
  const entries = Array.isArray(raw)
    ? raw.filter((p): p is PluginEntry => !!p && typeof p.name === "string" && typeof p.entry === "string")
    : [];
  await Promise.all(
    entries.map((p) => loadScript(p.entry).catch((e: Error) => pluginProblem(p.name, e.message))),
  );
  const detail = {
    apiVersion: 1,
    registerVisualizer: (v: Visualizer) => {
      try {
        registerVisualizer(v);
      } catch (e) {
        pluginProblem(String((v as { id?: unknown } | null)?.id ?? "unknown"), (e as Error).message);
      }
    },
  };
  window.dispatchEvent(new CustomEvent("inspector:init", { detail }));
}
