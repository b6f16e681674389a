// Token prices from GET /prices (the gateway's one table, overridable with INSPECTOR_PRICES), and cost arithmetic.
// Matching mirrors the gateway's: the exact model, else the longest entry prefixing it; a "provider/" prefix is
// ignored. No entry: the cost is unknown (null), never guessed.
import { useSyncExternalStore } from "react";
import { getJson } from "./api";
import { Store } from "./store";

export interface PriceTable {
  currency: string;
  as_of?: string;
  overrides?: string | null;
  models: Record<string, { input: number; output: number }>;
}

export const pricesStore = new Store<{ table: PriceTable | null }>({ table: null });

let loading = false;
export function loadPrices(): void {
  if (loading) return;
  loading = true;
  getJson<PriceTable>("/prices")
    .then((table) => pricesStore.set({ table }))
    .catch(() => {
      loading = false; // tried again by the next caller
    });
}

export function usePrices(): PriceTable | null {
  return useSyncExternalStore(pricesStore.subscribe, () => pricesStore.get().table);
}

export function priceOf(table: PriceTable | null, model: string | null | undefined): { input: number; output: number } | null {
  if (!table || !model) return null;
  const name = model.trim().toLowerCase().split("/").pop() ?? "";
  const exact = table.models[name];
  if (exact) return exact;
  let best: string | null = null;
  for (const key of Object.keys(table.models)) if (name.startsWith(key) && (!best || key.length > best.length)) best = key;
  return best ? table.models[best] : null;
}

export function costOf(table: PriceTable | null, model: string | null | undefined, input: number, output: number): number | null {
  const p = priceOf(table, model);
  return p ? (input * p.input + output * p.output) / 1_000_000 : null;
}

/** "$0.0123", "<$0.0001", "unknown". */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || Number.isNaN(usd)) return "unknown";
  if (usd === 0) return "$0";
  if (usd < 0.0001) return "<$0.0001";
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** "1,234" or "12.3k" tokens. */
export function formatTokens(n: number | null | undefined): string {
  if (n === null || n === undefined) return "–";
  if (n >= 10_000_000) return `${(n / 1_000_000).toFixed(0)}M`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  return n >= 100_000 ? `${(n / 1000).toFixed(0)}k` : n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : n.toLocaleString("en-US");
}
