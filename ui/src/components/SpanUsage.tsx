import { costOf, formatCost, usePrices } from "../lib/prices";
import type { Attributes } from "../lib/types";

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** A span's LLM usage: "<model> · 1,234 in · 56 out · $0.0012" (cost "unknown" when the model has no price). */
export function SpanUsage({ attrs }: { attrs: Attributes }): JSX.Element | null {
  const prices = usePrices();
  const input = num(attrs["gen_ai.usage.input_tokens"] ?? attrs["llm.token_count.prompt"]);
  const output = num(attrs["gen_ai.usage.output_tokens"] ?? attrs["llm.token_count.completion"]);
  if (input === null && output === null) return null;
  const model = (attrs["gen_ai.response.model"] ?? attrs["gen_ai.request.model"] ?? attrs["mcp.llm.model"] ?? null) as string | null;
  const cost = costOf(prices, model, input ?? 0, output ?? 0);
  return (
    <div className="inspector-meta span-usage" data-testid="span-usage">
      {model && <span className="tag">{model}</span>}
      <span className="mono" title="Input / output tokens">
        {(input ?? 0).toLocaleString("en-US")} in · {(output ?? 0).toLocaleString("en-US")} out
      </span>
      <span className="mono" data-testid="span-cost" title={cost === null ? "No price known for this model (GET /prices; INSPECTOR_PRICES adds one)" : "From the price table"}>
        {formatCost(cost)}
      </span>
    </div>
  );
}
