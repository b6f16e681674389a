import type { AlignedRow } from "../lib/compareTrees";
import { durationOf } from "../lib/compareTrees";
import { formatDuration } from "../lib/time";
import type { RowTable } from "../trace/table";

export interface PairInfo {
  changed: boolean;
  leftTokens: number | null;
  rightTokens: number | null;
}

function delta(l: number, r: number): string {
  if (!Number.isFinite(l) || !Number.isFinite(r) || l <= 0) return "";
  const pct = Math.round(((r - l) / l) * 100);
  return pct === 0 ? "=" : `${pct > 0 ? "+" : ""}${pct}%`;
}

interface Props {
  rows: AlignedRow[];
  left: RowTable;
  right: RowTable;
  pairs: Map<number, PairInfo>;
  selected: number;
  onSelect: (i: number) => void;
}

/** The aligned trees: one line per span position, each run's duration and tokens, and what changed. */
export function CompareTable({ rows, left, right, pairs, selected, onSelect }: Props): JSX.Element {
  return (
    <table className="table compare-table" data-testid="compare-table">
      <thead>
        <tr>
          <th>Span</th>
          <th className="col-num">A</th>
          <th className="col-num">B</th>
          <th className="col-num">Δ</th>
          <th className="col-num">Tokens A</th>
          <th className="col-num">Tokens B</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => {
          const side = row.left < 0 ? "right-only" : row.right < 0 ? "left-only" : "both";
          const l = durationOf(left, row.left);
          const r = durationOf(right, row.right);
          const info = pairs.get(i);
          return (
            <tr
              key={i}
              className={`compare-row compare-${side} ${selected === i ? "selected" : ""}`}
              data-testid="compare-row"
              data-side={side}
              data-name={row.name}
              data-changed={info?.changed ? "true" : "false"}
              aria-selected={selected === i}
              onClick={() => onSelect(i)}
            >
              <td>
                <span style={{ paddingLeft: row.depth * 14 }} className="mono">
                  {row.name}
                </span>{" "}
                {row.label && <span className="dim small">{row.label}</span>}
              </td>
              <td className="col-num mono">{row.left >= 0 ? formatDuration(l) : "—"}</td>
              <td className="col-num mono">{row.right >= 0 ? formatDuration(r) : "—"}</td>
              <td className="col-num mono dim">{delta(l, r)}</td>
              <td className="col-num mono">{info?.leftTokens ?? ""}</td>
              <td className="col-num mono">{info?.rightTokens ?? ""}</td>
              <td>{info?.changed && <span className="tag tag-warn" title="Prompt, output, input or tokens differ">≠</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
