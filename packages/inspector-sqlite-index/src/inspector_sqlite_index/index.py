"""``SqliteSearchIndex``: the gateway's ``SearchIndex`` over SQLite FTS5, ranked by bm25.

A search is a few statements on a connection of its own (aiosqlite): the true count; the page of ids ordered
by rank with the filters applied (for a query matching more than ``RANK_WINDOW`` spans, among the newest
``RANK_WINDOW`` of them: ranking every match of a word in a third of a million spans takes over a second); then
the highlighted name and text of only the rows shown, cut into readable snippets by
``inspector_gateway.search.snippet_of`` (the same cutting the file scan uses). While the index is missing or
damaged the search is answered by the file scan, and says so.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite

from inspector_gateway.search import MARK_END, MARK_START, fts5_expression, parse_query, snippet_of
from inspector_gateway.types import SearchHit, SearchIndex, SearchPage, SearchQuery

from ._counts import STATE_SQL, CountCache
from ._facets import facet_filter
from ._indexer import Indexer
from ._store import RANK_SQL
from ._worker import ProcessIndexer

if TYPE_CHECKING:
    from inspector_gateway import GatewayState

__all__ = ["RANK_WINDOW", "SqliteSearchIndex"]

logger = logging.getLogger(__name__)

#: bm25 over a query's matches costs ~4 us each; past this many, the newest RANK_WINDOW matches are ranked (the
#: answer's ``ranked_within`` says so) and ``total`` still counts every match
RANK_WINDOW = 5000


def _filters(query: SearchQuery) -> tuple[str, list[Any]]:
    """The SQL checks the facets cannot make: the exact session id and the time range."""
    sql: list[str] = []
    args: list[Any] = []
    if query.session_id is not None:
        sql.append("s.session_id = ?")
        args.append(query.session_id)
    if query.since is not None:
        sql.append("s.start_time >= ?")
        args.append(query.since)
    if query.until is not None:
        sql.append("s.start_time <= ?")
        args.append(query.until)
    return "".join(f" AND {part}" for part in sql), args


def _from(where: str) -> str:
    return f"FROM spans_text JOIN spans s ON s.id = spans_text.rowid WHERE spans_text MATCH ?{where}"


class SqliteSearchIndex:
    """Ranked full-text search over the spans of every trace file in ``traces_dir``.

    The indexer runs in a child process (``in_process=False``, the default; ``INSPECTOR_SEARCH_INDEXER=thread``
    says otherwise), so its Python work never takes the GIL from the agent's threads; in a thread it costs the
    agent a share of one core while it indexes (docs/performance.md).
    """

    name = "sqlite_fts5"

    def __init__(
        self,
        traces_dir: Path,
        *,
        fallback: SearchIndex | None = None,
        poll: float = 1.0,
        in_process: bool | None = None,
    ) -> None:
        self.traces_dir = traces_dir
        if in_process is None:
            in_process = os.environ.get("INSPECTOR_SEARCH_INDEXER", "").strip().lower() == "thread"
        self.indexer: Indexer | ProcessIndexer = (
            Indexer(traces_dir, poll=poll) if in_process else ProcessIndexer(traces_dir, poll=poll)
        )
        self.fallback = fallback
        self._counts = CountCache()

    @classmethod
    def for_gateway(cls, gateway: GatewayState) -> SqliteSearchIndex:
        return cls(gateway.settings.traces_dir, fallback=gateway.file_scan_search())

    def start(self) -> None:
        self.indexer.start()

    def forget_counts(self) -> None:
        """Drop the cached counts (benchmarks measure a query's first asking with it)."""
        self._counts.clear()

    def close(self) -> None:
        self.indexer.close()

    def on_event(self, event: dict[str, Any]) -> None:
        """Gateway event listener: a span ended or a session finished, so the files grew."""
        if event.get("type") in ("SpanEnded", "SessionFinished"):
            self.indexer.wake()

    async def search(self, query: SearchQuery) -> SearchPage:
        progress = self.indexer.progress.as_dict()
        if not self.indexer.path.exists() or progress["state"] == "starting":
            return await self._fall_back(query, progress, "the search index is not built yet")
        if progress["state"] == "failed":
            why = f"the search index stopped ({progress.get('error') or 'unknown error'})"
            return await self._fall_back(query, progress, why)
        try:
            page = await self._search(query)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "no such table" not in str(exc):
                raise
            logger.debug("search index unreadable: %s", exc)
            self.indexer.request_rebuild()
            return await self._fall_back(query, progress, f"the search index is damaged ({exc}) and being rebuilt")
        building = progress["state"] in ("building", "starting")
        page["complete"] = not building
        page["progress"] = progress
        if building:
            page["note"] = f"the index is being built ({progress['percent']}% read): hits so far"
        return page

    async def _fall_back(self, query: SearchQuery, progress: dict[str, Any], why: str) -> SearchPage:
        if self.fallback is None:
            return {"hits": [], "total": 0, "complete": False, "progress": progress, "note": why}
        page = await self.fallback.search(query)
        page["progress"] = progress
        page["note"] = f"{why}; answered by a scan of the files" + (f" ({page['note']})" if "note" in page else "")
        return page

    async def _count(
        self, db: aiosqlite.Connection, match: str, where: str, args: list[Any], window: int
    ) -> tuple[int, int]:
        """The true total of matches and the rowid of the oldest one ranked (0: all are), cached per index state."""
        async with db.execute(STATE_SQL) as cursor:
            state = self._counts.state([(str(k), str(v)) for k, v in await cursor.fetchall()])
        key = (match, where, tuple(args), window)
        cached = self._counts.get(state, key)
        if cached is not None:
            return cached
        base = _from(where)
        count = f"SELECT count(*) {base}" if where else "SELECT count(*) FROM spans_text WHERE spans_text MATCH ?"
        async with db.execute(count, (match, *args)) as cursor:
            row = await cursor.fetchone()
            total = int(row[0]) if row else 0
        bound = 0
        if total > window:  # rank the newest ``window`` matches: the rowid of the window's oldest one
            source = (
                f"SELECT spans_text.rowid {base}" if where else "SELECT rowid FROM spans_text WHERE spans_text MATCH ?"
            )
            async with db.execute(
                f"{source} ORDER BY spans_text.rowid DESC LIMIT 1 OFFSET ?", (match, *args, window - 1)
            ) as cursor:
                row = await cursor.fetchone()
                bound = int(row[0]) if row else 0
        self._counts.put(state, key, (total, bound))
        return total, bound

    async def _search(self, query: SearchQuery) -> SearchPage:
        terms = parse_query(query.text)
        match = "{name lifecycle_name body} : (" + fts5_expression(terms) + ")"
        match += facet_filter(session_id=query.session_id, kind=query.kind, status=query.status)
        where, args = _filters(query)
        base = _from(where)
        window = max(RANK_WINDOW, query.offset + query.limit)
        async with aiosqlite.connect(self.indexer.path, timeout=5) as db:
            await db.execute("PRAGMA query_only = 1")
            total, bound = await self._count(db, match, where, args, window)
            columns = "s.id, s.session_id, s.span_id, s.name, s.kind, s.status, s.start_time"
            if where:
                page = f"SELECT {columns}, {RANK_SQL} AS score {base} AND spans_text.rowid >= ?"
                order = "score, s.id DESC"
            else:  # rank in the full-text table alone, then read the rows of the page only (~1.5 us less a match)
                page = (
                    f"SELECT {columns}, r.score FROM (SELECT rowid, {RANK_SQL} AS score FROM spans_text"
                    " WHERE spans_text MATCH ? AND rowid >= ? ORDER BY score, rowid DESC LIMIT ? OFFSET ?) r"
                    " JOIN spans s ON s.id = r.rowid"
                )
                order = "score, r.rowid DESC"
            async with db.execute(
                f"{page} ORDER BY {order} LIMIT ? OFFSET ?",
                (match, *args, bound, query.limit, query.offset)
                if where
                else (match, bound, query.limit, query.offset, query.limit, 0),
            ) as cursor:
                rows = list(await cursor.fetchall())
            marked: dict[int, tuple[str, str]] = {}
            if rows:
                ids = [r[0] for r in rows]
                async with db.execute(
                    "SELECT rowid, highlight(spans_text, 0, ?, ?), highlight(spans_text, 3, ?, ?),"
                    " highlight(spans_text, 1, ?, ?) FROM spans_text"
                    f" WHERE spans_text MATCH ? AND rowid IN ({','.join('?' * len(ids))})",
                    (*(MARK_START, MARK_END) * 3, match, *ids),
                ) as cursor:
                    async for rowid, name, lifecycle_name, body in cursor:
                        marked[rowid] = (name or lifecycle_name, body)
        hits: list[SearchHit] = []
        for rowid, sid, span_id, name, kind, status, start_time, rank in rows:
            name_marked, body_marked = marked.get(rowid, ("", ""))
            if MARK_START in body_marked:
                snippet, highlights, field = snippet_of(body_marked)
            else:
                snippet, highlights, field = snippet_of(name_marked, name="name")
            hits.append(
                {
                    "session_id": sid,
                    "span_id": span_id,
                    "name": name,
                    "snippet": snippet,
                    "highlights": highlights,
                    "field": field,
                    "kind": kind,
                    "status": status,
                    "start_time": start_time,
                    "score": round(-float(rank), 6),
                }
            )
        return {
            "hits": hits,
            "total": total,
            "offset": query.offset,
            "limit": query.limit,
            "ranked": True,
            "ranked_within": min(total, window),
            "complete": True,
        }
