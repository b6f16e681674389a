// The inspector's head: the span's name, status, duration (or since when it runs), id, link and token usage.
import { formatDuration, formatStart, parseTime } from "../lib/time";
import type { Attributes, SpanRecord, SpanSummary } from "../lib/types";
import { Highlighted } from "./Highlight";
import { SpanUsage } from "./SpanUsage";

/** The status to show: RUNNING while it runs, else the record's, else an MCP status code attribute. */
function statusText(rec: SpanRecord | SpanSummary | null, running: boolean, attrs: Attributes): { code: string; message: string | null } {
  if (running) return { code: "RUNNING", message: null };
  const st = rec?.status;
  let code = !st ? "UNSET" : typeof st === "string" ? st.toUpperCase() : (st.code ?? "UNSET").toUpperCase();
  const message = st && typeof st !== "string" ? (st.message ?? null) : null;
  if (code === "UNSET" && typeof attrs["mcp.status.code"] === "string") code = attrs["mcp.status.code"].toUpperCase();
  return { code, message };
}

interface Props {
  id: string;
  rec: SpanRecord | SpanSummary | null;
  attrs: Attributes;
  /** running and no end record yet */
  running: boolean;
  link: string;
}

export function InspectorHead({ id, rec, attrs, running, link }: Props): JSX.Element {
  const st = statusText(rec, running, attrs);
  const start = parseTime(rec?.start_time);
  const end = parseTime(rec?.end_time ?? undefined);
  return (
    <div className="inspector-head">
      <div className="inspector-title mono" data-testid="inspector-title" title={rec?.name}>
        <Highlighted text={rec?.name ?? id} />
      </div>
      <div className="inspector-meta">
        <span className={`tag tag-st-${st.code.toLowerCase()}`}>{st.code}</span>
        <span className="mono" title={rec?.start_time ?? ""}>
          {running ? `since ${formatStart(rec?.start_time)}` : formatDuration(end - start)}
        </span>
        <span className="mono dim" title="span id">
          {id}
        </span>
        <a className="link-btn" href={link} title="Link to this span">
          link
        </a>
      </div>
      <SpanUsage attrs={attrs} />
      {st.message && <div className="error-line">{st.message}</div>}
    </div>
  );
}
