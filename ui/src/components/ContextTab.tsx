// The inspector's Context tab: an LLM call's prompt and response, or a tool call and its result, as chat messages.
import { useMemo } from "react";
import type { Attributes } from "../lib/types";
import { ChatView } from "./ChatView";
import { contextView } from "./inspectorData";

export function ContextTab({ attrs }: { attrs: Attributes }): JSX.Element {
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
