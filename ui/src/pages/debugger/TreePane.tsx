// The left pane of the debugger: the toolbar and the span tree (or what stands in for it while there is none).
import { useMemo } from "react";
import { SpanTree } from "../../components/SpanTree";
import { VisibleRows } from "../../components/visibleRows";
import type { TraceState } from "../../trace/useTrace";
import { TraceStateView } from "./TraceState";
import { TreeToolbar } from "./TreeToolbar";
import type { Collapsed } from "./useCollapsed";
import type { FindSpan } from "./useFindSpan";
import type { Selection } from "./useSelection";

interface Props {
  state: TraceState;
  live: boolean;
  selection: Selection;
  fold: Collapsed;
  find: FindSpan;
  hasRunning: boolean;
  now: number;
  frozenAt: number | null;
}

export function TreePane({ state, live, selection, fold, find, hasRunning, now, frozenAt }: Props): JSX.Element {
  const { table } = state;
  const visible = useMemo(() => (table ? VisibleRows.of(table, fold.rows) : null), [table, fold.rows]);
  return (
    <section className="tree-pane">
      <TreeToolbar find={find} onExpandAll={fold.expandAll} onCollapse={fold.collapseToTop} />
      {table && visible && table.n > 0 ? (
        <SpanTree
          table={table}
          visible={visible}
          collapsed={fold.collapsed}
          selectedId={selection.selectedId}
          selectedRow={selection.selectedRow}
          matches={find.matches}
          hasRunning={hasRunning}
          now={now}
          endedAt={frozenAt}
          onSelect={selection.select}
          onToggle={fold.toggle}
        />
      ) : (
        <TraceStateView state={state} live={live} />
      )}
      {state.loading && table && <div className="loading-strip" data-testid="trace-loading-more">Loading… {state.progress.toLocaleString()} spans</div>}
    </section>
  );
}
