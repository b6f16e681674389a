// The span tree's toolbar: Find span (Enter / Shift+Enter step through the matches), the keyboard hint, and
// Expand all / Collapse.
import type { FindSpan } from "./useFindSpan";

interface Props {
  find: FindSpan;
  onExpandAll: () => void;
  onCollapse: () => void;
}

export function TreeToolbar({ find, onExpandAll, onCollapse }: Props): JSX.Element {
  const { query, matches } = find;
  return (
    <div className="tree-toolbar">
      <input
        className="search"
        type="search"
        placeholder="Find span: name, tool, model…"
        aria-label="Find span by name or label (tool, model, agent, RPC method)"
        data-testid="span-search"
        value={query}
        onChange={(e) => find.setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            find.jump(e.shiftKey ? -1 : 1);
          }
        }}
      />
      {query && <span className="dim small" data-testid="span-match-count">{matches.count.toLocaleString()} match{matches.count === 1 ? "" : "es"}</span>}
      <div className="toolbar-spacer" />
      <span className="dim small keys-hint" title="Keyboard: click the tree first">
        <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>←</kbd>
        <kbd>→</kbd> fold · <kbd>Enter</kbd> toggle
      </span>
      <button type="button" className="btn btn-small" onClick={onExpandAll} title="Expand all">
        Expand all
      </button>
      <button type="button" className="btn btn-small" title="Collapse to the top level" onClick={onCollapse}>
        Collapse
      </button>
    </div>
  );
}
