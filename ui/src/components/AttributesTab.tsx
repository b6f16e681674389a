// The inspector's Attributes tab: every attribute (long values cut, search matches marked) and the span's events.
import { useState } from "react";
import { firstMatch } from "../lib/search";
import type { Attributes, SpanRecord, SpanSummary } from "../lib/types";
import { eventView } from "./eventView";
import { Highlighted, useHighlightTerms } from "./Highlight";
import { JsonTree } from "./JsonTree";

const CUT = 240;

function ValueCell({ value }: { value: unknown }): JSX.Element {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const terms = useHighlightTerms();
  // a search match past the cut is shown: the value opens
  const [open, setOpen] = useState(() => firstMatch(text, terms) >= CUT);
  if (text.length <= CUT || open) {
    return (
      <span className={`attr-val ${typeof value === "string" ? "" : "j-num"}`}>
        <Highlighted text={text} />
      </span>
    );
  }
  return (
    <span className="attr-val">
      <Highlighted text={text.slice(0, CUT)} />…{" "}
      <button type="button" className="link-btn" onClick={() => setOpen(true)}>
        show all ({text.length.toLocaleString()} chars)
      </button>
    </span>
  );
}

/** An attribute key that wraps only after its dots (``gen_ai.usage.input_tokens``), not mid-word. */
function KeyText({ name }: { name: string }): JSX.Element {
  const parts = name.split(".");
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </span>
      ))}
    </>
  );
}

export function AttributesTab({ attrs, rec }: { attrs: Attributes; rec: SpanRecord | SpanSummary | null }): JSX.Element {
  const keys = Object.keys(attrs).sort();
  const events = rec && "events" in rec && Array.isArray(rec.events) ? rec.events : [];
  return (
    <div data-testid="attributes-panel">
      {keys.length === 0 ? (
        <p className="dim pad">No attributes{rec && "type" in rec && rec.type === "span" ? "" : " yet: they are written when the span ends"}.</p>
      ) : (
        <table className="attr-table">
          <tbody>
            {keys.map((k) => (
              <tr key={k} data-testid="attr-row" data-key={k}>
                <th className="mono">
                  <KeyText name={k} />
                </th>
                <td className="mono">
                  <ValueCell value={attrs[k]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {events.length > 0 && (
        <>
          <h4 className="section-title">Events</h4>
          <ul className="events">
            {events.map(eventView).map((e, i) => (
              <li key={i} data-testid="span-event" data-name={e.name}>
                <span className="mono strong">{e.name}</span> <span className="dim mono">{e.time}</span>
                {(e.answer !== null || e.action !== null) && (
                  <div className="event-answer" data-testid="resume-answer">
                    {e.action !== null && <span className="tag">{e.action}</span>} {e.answer !== null && <>answered: <span className="mono">{e.answer}</span></>}
                  </div>
                )}
                {Object.keys(e.attributes).length > 0 && <JsonTree value={e.attributes} defaultDepth={1} />}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
