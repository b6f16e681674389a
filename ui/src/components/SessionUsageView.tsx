import { formatCost, formatTokens } from "../lib/prices";
import type { SessionUsage } from "../lib/types";

/** The session's tokens and cost in its header, with a per-model table on demand. */
export function SessionUsageView({ usage }: { usage: SessionUsage | null | undefined }): JSX.Element | null {
  if (!usage || usage.input_tokens + usage.output_tokens === 0) return null;
  const models = Object.entries(usage.models).sort((a, b) => b[1].input_tokens + b[1].output_tokens - (a[1].input_tokens + a[1].output_tokens));
  return (
    <details className="usage-menu" data-testid="session-usage">
      <summary className="tag" title="LLM tokens and cost; click for each model">
        <span data-testid="session-usage-tokens">{formatTokens(usage.input_tokens + usage.output_tokens)} tokens</span> ·{" "}
        <span data-testid="session-usage-cost">{formatCost(usage.cost_usd)}</span>
      </summary>
      <table className="table usage-table" data-testid="usage-by-model">
        <thead>
          <tr>
            <th>Model</th>
            <th className="col-num">Calls</th>
            <th className="col-num">In</th>
            <th className="col-num">Out</th>
            <th className="col-num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {models.map(([model, m]) => (
            <tr key={model} data-testid="usage-model-row" data-model={model}>
              <td className="mono">{model}</td>
              <td className="col-num mono">{m.calls}</td>
              <td className="col-num mono">{m.input_tokens.toLocaleString("en-US")}</td>
              <td className="col-num mono">{m.output_tokens.toLocaleString("en-US")}</td>
              <td className="col-num mono">{formatCost(m.cost_usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
