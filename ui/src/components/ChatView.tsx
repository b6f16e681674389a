import type { ChatMessage, Part } from "../messages/normalize";
import { JsonTree } from "./JsonTree";

function PartView({ part }: { part: Part }): JSX.Element {
  switch (part.kind) {
    case "text":
      return <div className="part-text">{part.text}</div>;
    case "image":
      return part.src ? (
        <figure className="part-image">
          <img src={part.src} alt={`image (${part.mime})`} loading="lazy" />
          <figcaption className="dim">{part.mime}</figcaption>
        </figure>
      ) : (
        <div className="part-meta">[image {part.mime}]</div>
      );
    case "resource":
      return (
        <div className="part-resource" data-testid="part-resource">
          <div>
            <span className="tag">resource</span> <span className="mono">{part.uri}</span>
            {part.mime && <span className="dim"> · {part.mime}</span>}
          </div>
          {part.text && <pre className="code">{part.text}</pre>}
        </div>
      );
    case "tool_call":
      return (
        <div className="part-tool-call" data-testid="part-tool-call">
          <div className="part-head">
            <span className="tag tag-tool">tool call</span> <span className="mono strong">{part.name}</span>
            {part.id && <span className="mono dim"> · {part.id}</span>}
          </div>
          {typeof part.args === "string" ? <pre className="code">{part.args}</pre> : <JsonTree value={part.args} defaultDepth={3} />}
        </div>
      );
    case "tool_result":
      return (
        <div className={`part-tool-result ${part.isError ? "is-error" : ""}`} data-testid="part-tool-result">
          <div className="part-head">
            <span className={`tag ${part.isError ? "tag-error" : "tag-ok"}`}>{part.isError ? "tool error" : "tool result"}</span>
            {part.id && <span className="mono dim"> {part.id}</span>}
          </div>
          {part.parts.length ? part.parts.map((p, i) => <PartView key={i} part={p} />) : <div className="dim">(empty)</div>}
        </div>
      );
    case "json":
      return <JsonTree value={part.value} defaultDepth={2} />;
  }
}

export function ChatView({ messages }: { messages: ChatMessage[] }): JSX.Element {
  return (
    <div className="chat">
      {messages.map((m, i) => (
        <div key={i} className={`msg msg-${m.role}`} data-testid="chat-message" data-role={m.role}>
          <div className="msg-role">
            {m.role}
            {m.name && <span className="dim"> · {m.name}</span>}
          </div>
          <div className="msg-body">
            {m.parts.length ? m.parts.map((p, k) => <PartView key={k} part={p} />) : <div className="dim">(no content)</div>}
          </div>
        </div>
      ))}
    </div>
  );
}
