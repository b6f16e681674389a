// The left pane of the debugger: the toolbar and the span tree (or what stands in for it while there is none).
import { useMemo } from "react";
import { SpanTree } from "../../components/SpanTree";
import { visibleRows } from "../../trace/table";
import type { TraceState } from "../../trace/useTrace";
import { TraceStateView } from "./TraceState";
import { TreeToolbar } from "./TreeToolbar";
import type { Collapsed } from "./useCollapsed";
import type { FindSpan } from "./useFindSpan";

interface Props {
  state: TraceState;
  live: boolean;
  indexById: ReadonlyMap<string, number>;
  selectedId: string | null;
  fold: Collapsed;
  find: FindSpan;
  now: number;
  frozenAt: number | null;
  onSelect: (id: string) => void;
}

export function TreePane({ state, live, indexById, selectedId, fold, find, now, frozenAt, onSelect }: Props): JSX.Element {
  const { table } = state;
  const { collapsed } = fold;
  const visible = useMemo(() => (table ? visibleRows(table, collapsed) : new Int32Array(0)), [table, collapsed]);
  return (
    <section className="tree-pane">
      <TreeToolbar find={find} onExpandAll={fold.expandAll} onCollapse={fold.collapseToTop} />
      {table && table.n > 0 ? (
        <SpanTree
          table={table}
          indexById={indexById}
          visible={visible}
          collapsed={collapsed}
          selectedId={selectedId}
          matches={find.matches}
          now={now}
          endedAt={frozenAt}
          onSelect={onSelect}
          onToggle={fold.toggle}
        />
      ) : (
        <TraceStateView state={state} live={live} />
      )}
      {state.loading && table && <div className="loading-strip" data-testid="trace-loading-more">Loading… {state.progress.toLocaleString()} spans</div>}
    </section>
  );
}
