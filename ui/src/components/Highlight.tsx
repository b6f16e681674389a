// The terms of the search that led to the open span, and text with those terms marked.
import { createContext, useContext, useMemo } from "react";
import { markTerms, snippetParts, type TextPart } from "../lib/search";

export const HighlightTerms = createContext<readonly string[]>([]);

export const useHighlightTerms = (): readonly string[] => useContext(HighlightTerms);

function Parts({ parts }: { parts: TextPart[] }): JSX.Element {
  return (
    <>
      {parts.map((p, i) =>
        p.mark ? (
          <mark key={i} className="search-mark" data-testid="search-mark">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

/** ``text`` with the terms of the current search marked (plain text when there are none). */
export function Highlighted({ text }: { text: string }): JSX.Element {
  const terms = useHighlightTerms();
  const parts = useMemo(() => markTerms(text, terms), [text, terms]);
  return parts.length === 1 && !parts[0].mark ? <>{text}</> : <Parts parts={parts} />;
}

/** A search hit's snippet with the gateway's highlight ranges marked. */
export function Snippet({ text, highlights }: { text: string; highlights?: number[][] }): JSX.Element {
  const parts = useMemo(() => snippetParts(text, highlights), [text, highlights]);
  return <Parts parts={parts} />;
}
