import { useEffect, useMemo, useState } from "react";
import { CompareTable, type PairInfo } from "../components/CompareTable";
import { DiffPane } from "../components/DiffPane";
import { alignTrees } from "../lib/compareTrees";
import { sessionHref } from "../lib/router";
import { useSessions } from "../lib/sessions";
import { diffAttributes, tokensOf, type AttributeDiff } from "../lib/spanDiff";
import type { Attributes } from "../lib/types";
import { rowId } from "../trace/table";
import { useTrace, type SpanDetail } from "../trace/useTrace";

/** Span kinds whose content is compared (LLM, tool, resource, prompt; see trace/categories). */
const CONTENT_KINDS = new Set([3, 4, 6, 7]);
const MAX_PAIRS = 400;

const attrsOf = (d: SpanDetail | null): Attributes | undefined => d?.full?.attributes;

/** Two runs side by side: aligned trees, durations, tokens, and the prompts and outputs that differ. */
export function ComparePage({ left, right }: { left: string; right: string }): JSX.Element {
  const a = useTrace(left);
  const b = useTrace(right);
  const { sessions } = useSessions();
  const [selected, setSelected] = useState(-1);
  const [pairs, setPairs] = useState<Map<number, PairInfo>>(new Map());
  const [details, setDetails] = useState<Map<number, [Attributes | undefined, Attributes | undefined]>>(new Map());
  const ta = a.state.table;
  const tb = b.state.table;
  const ready = !!ta && !!tb && !a.state.loading && !b.state.loading;
  const rows = useMemo(() => (ready && ta && tb ? alignTrees(ta, tb) : []), [ready, ta, tb]);

  useEffect(() => {
    if (!ready || !ta || !tb) return;
    let cancelled = false;
    const wanted = rows
      .map((r, i) => ({ r, i }))
      .filter(({ r }) => (r.left >= 0 && CONTENT_KINDS.has(ta.cat[r.left])) || (r.right >= 0 && CONTENT_KINDS.has(tb.cat[r.right])))
      .slice(0, MAX_PAIRS);
    const none = Promise.resolve(null);
    void Promise.all(
      wanted.map(({ r }) => Promise.all([r.left >= 0 ? a.requestDetail(rowId(ta, r.left)) : none, r.right >= 0 ? b.requestDetail(rowId(tb, r.right)) : none])),
    ).then((found) => {
      if (cancelled) return;
      const info = new Map<number, PairInfo>();
      const attrs = new Map<number, [Attributes | undefined, Attributes | undefined]>();
      found.forEach(([dl, dr], k) => {
        const i = wanted[k].i;
        const [al, ar] = [attrsOf(dl), attrsOf(dr)];
        attrs.set(i, [al, ar]);
        info.set(i, { changed: diffAttributes(al, ar).length > 0, leftTokens: tokensOf(al), rightTokens: tokensOf(ar) });
      });
      setPairs(info);
      setDetails(attrs);
    });
    return () => {
      cancelled = true;
    };
  }, [ready, rows, ta, tb, a.requestDetail, b.requestDetail]);

  const diffs: AttributeDiff[] | null = selected >= 0 ? diffAttributes(...(details.get(selected) ?? [undefined, undefined])) : null;
  const changed = [...pairs.values()].filter((p) => p.changed).length;
  const title = (id: string): string => sessions[id]?.title ?? id;
  return (
    <div className="page compare-page" data-testid="compare-page">
      <div className="toolbar">
        <h1 className="page-title">Compare runs</h1>
        <a className="tag" href={sessionHref(left)} data-testid="compare-left">
          A: {title(left)} <span className="mono dim">{left}</span>
        </a>
        <a className="tag" href={sessionHref(right)} data-testid="compare-right">
          B: {title(right)} <span className="mono dim">{right}</span>
        </a>
        <div className="toolbar-spacer" />
        {ready && (
          <span className="dim small" data-testid="compare-summary">
            {rows.length} positions · {rows.filter((r) => r.left < 0 || r.right < 0).length} in one run only · {changed} changed
          </span>
        )}
      </div>
      {(a.state.error || b.state.error) && <div className="banner banner-error">{a.state.error ?? b.state.error}</div>}
      {!ready ? (
        <div className="empty-state">Loading both traces…</div>
      ) : (
        <div className="debugger-body">
          <section className="tree-pane compare-pane">
            <CompareTable rows={rows} left={ta} right={tb} pairs={pairs} selected={selected} onSelect={setSelected} />
          </section>
          <DiffPane diffs={diffs} title={selected >= 0 ? rows[selected].name : "Differences"} />
        </div>
      )}
    </div>
  );
}
