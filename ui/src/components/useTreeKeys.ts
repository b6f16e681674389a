// The span tree's keyboard: arrows, Page Up/Down, Home/End move the selection; left/right and Enter/Space fold.
import type { KeyboardEvent } from "react";
import { rowId, type RowTable } from "../trace/table";
import type { VisibleRows } from "./visibleRows";

interface Tree {
  table: RowTable;
  visible: VisibleRows;
  /** the selected row's position among the shown rows (-1: none shown) */
  selectedPos: number;
  isCollapsed: (id: string) => boolean;
  onSelect: (id: string, row: number) => void;
  onToggle: (id: string, open?: boolean) => void;
}

const PAGE = 20;

export function useTreeKeys({ table, visible, selectedPos, isCollapsed, onSelect, onToggle }: Tree): (e: KeyboardEvent<HTMLDivElement>) => void {
  return (e) => {
    const count = visible.count;
    if (!count) return;
    const pos = selectedPos < 0 ? 0 : selectedPos;
    const row = visible.rowAt(pos);
    const id = rowId(table, row);
    const hasKids = table.size[row] > 1;
    let next = -1;
    switch (e.key) {
      case "ArrowDown":
        next = Math.min(count - 1, selectedPos < 0 ? 0 : pos + 1);
        break;
      case "ArrowUp":
        next = Math.max(0, pos - 1);
        break;
      case "PageDown":
        next = Math.min(count - 1, pos + PAGE);
        break;
      case "PageUp":
        next = Math.max(0, pos - PAGE);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = count - 1;
        break;
      case "ArrowRight":
        if (hasKids && isCollapsed(id)) onToggle(id, true);
        else if (hasKids) next = pos + 1;
        break;
      case "ArrowLeft": {
        const parent = table.parent[row];
        if (hasKids && !isCollapsed(id)) onToggle(id, false);
        else if (parent >= 0) onSelect(rowId(table, parent), parent);
        break;
      }
      case "Enter":
      case " ":
        if (hasKids) onToggle(id);
        else onSelect(id, row);
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next >= 0) {
      const r = visible.rowAt(next);
      onSelect(rowId(table, r), r);
    }
  };
}
