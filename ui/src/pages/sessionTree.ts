// Sessions in list order (newest first) with children nested under their parent session.
import type { SessionInfo } from "../lib/types";
import { parseTime } from "../lib/time";

export interface SessionRow {
  session: SessionInfo;
  depth: number;
  childCount: number;
}

export function matchesQuery(s: SessionInfo, q: string): boolean {
  if (!q) return true;
  const hay = `${s.title} ${s.id} ${s.engine} ${s.status}`.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

/** Nest children under parents; a filter keeps a parent when one of its descendants matches. */
export function nestSessions(
  sessions: SessionInfo[],
  keep: (s: SessionInfo) => boolean,
  collapsed: ReadonlySet<string> = new Set(),
): SessionRow[] {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const children = new Map<string, SessionInfo[]>();
  const roots: SessionInfo[] = [];
  for (const s of sessions) {
    const p = s.parent_session_id;
    if (p && p !== s.id && byId.has(p)) {
      let list = children.get(p);
      if (!list) children.set(p, (list = []));
      list.push(s);
    } else roots.push(s);
  }
  const newest = (a: SessionInfo, b: SessionInfo): number => (parseTime(b.started_at) || 0) - (parseTime(a.started_at) || 0);
  roots.sort(newest);
  const memo = new Map<string, boolean>();
  const visible = (s: SessionInfo, seen: Set<string>): boolean => {
    const cached = memo.get(s.id);
    if (cached !== undefined) return cached;
    if (seen.has(s.id)) return false;
    seen.add(s.id);
    const v = keep(s) || (children.get(s.id) ?? []).some((c) => visible(c, seen));
    memo.set(s.id, v);
    return v;
  };
  const out: SessionRow[] = [];
  const walk = (s: SessionInfo, depth: number, seen: Set<string>): void => {
    if (seen.has(s.id) || !visible(s, new Set())) return;
    seen.add(s.id);
    // newest first at every level: a long-lived app session's latest runs stay at the top (issue 16)
    const kids = (children.get(s.id) ?? []).slice().sort(newest);
    out.push({ session: s, depth, childCount: kids.length });
    if (!collapsed.has(s.id)) for (const c of kids) walk(c, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const r of roots) walk(r, 0, seen);
  return out;
}
