"""The built-in search without an index: a scan of every byte of every trace file, within a time budget.

Sessions are read newest first, every part of each, streaming (1 MiB of compressed input at a time, every gzip
member). A block of decompressed lines is searched as one lower-cased byte string for the longest ASCII word of
each term (escaping in JSON never splits an ASCII letter run), so only lines that can match are parsed; those are
matched against their readable text (``inspector_gateway.search``). Every matching span counts in ``total``; the
page kept is the best ``offset + limit`` by a simple score (occurrences, a match in the name weighs 5; a lifecycle
span's name counts nothing: ``_lifecycle.py``), newest session first among equals. When the budget runs out the
answer says so and lists what it did not read.
"""

from __future__ import annotations

import heapq
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import anyio.to_thread

from inspector_gateway._jsonin import DECODE_ERRORS
from inspector_gateway.search import (
    MARK_START,
    SearchSpan,
    Term,
    decode_search_span,
    is_lifecycle,
    mark_terms,
    parse_query,
    snippet_of,
    span_text,
)
from inspector_gateway.sessions._tracefiles import trace_parts
from inspector_gateway.types import SearchHit, SearchPage, SearchQuery
from inspector_hooks.tracefile import LineDecoder

if TYPE_CHECKING:
    from inspector_gateway._state import GatewayState

__all__ = ["DEFAULT_BUDGET_SECONDS", "FileScanSearch", "scan_files"]

DEFAULT_BUDGET_SECONDS = 2.0
_CHUNK = 1 << 20
_ASCII_RUN = re.compile(rb"[a-z0-9]+")
_UNREAD_IDS = 20


@dataclass
class _Scan:
    query: SearchQuery
    terms: list[Term]
    needles: list[bytes]
    deadline: float
    total: int = 0
    seq: int = 0
    best: list[tuple[float, int, SearchHit]] = field(default_factory=list)
    stopped: bool = False
    unread_bytes: int = 0
    unread_files: int = 0
    unread_sessions: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def _needles(terms: list[Term]) -> list[bytes]:
    """The longest ASCII letter/digit run of each term that has one (longest first)."""
    out: list[bytes] = []
    for term in terms:
        runs = _ASCII_RUN.findall(term.text.encode("utf-8", "replace"))
        if runs:
            out.append(max(runs, key=len))
    return sorted(set(out), key=len, reverse=True)


def scan_files(sessions: list[tuple[str, list[Path]]], query: SearchQuery, budget: float) -> SearchPage:
    """Search the trace files of ``sessions`` (newest first, each with its parts in order) for ``query``."""
    started = time.monotonic()
    terms = parse_query(query.text)
    scan = _Scan(query, terms, _needles(terms), started + budget)
    for sid, parts in sessions:
        if query.session_id is not None and sid != query.session_id:
            continue
        partial = False
        for part in parts:
            left = _size(part) if scan.stopped else _scan_part(scan, sid, part)
            if left:
                scan.unread_files += 1
                scan.unread_bytes += left
                partial = True
        if partial:
            scan.unread_sessions.append(sid)
    hits = [hit for _, _, hit in sorted(scan.best, key=lambda item: (-item[0], -item[1]))]
    page: SearchPage = {
        "hits": hits[query.offset : query.offset + query.limit],
        "total": scan.total,
        "offset": query.offset,
        "limit": query.limit,
        "ranked": True,
        "complete": not scan.stopped and not scan.unreadable,
        "stopped_early": scan.stopped,
        "budget_seconds": budget,
        "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
    }
    if scan.stopped or scan.unreadable:
        page["unread"] = {
            "sessions": len(scan.unread_sessions),
            "files": scan.unread_files,
            "bytes": scan.unread_bytes,
            "session_ids": scan.unread_sessions[:_UNREAD_IDS],
            "unreadable_files": scan.unreadable[:_UNREAD_IDS],
        }
        page["note"] = (
            f"stopped after {budget:g} s: {len(scan.unread_sessions)} session(s) not (fully) read; "
            "the total counts only what was read"
            if scan.stopped
            else "some files could not be read (corrupt gzip data)"
        )
    return page


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _scan_part(scan: _Scan, sid: str, path: Path) -> int:
    """Scan one file; returns how many compressed bytes were left unread (0 when read to the end)."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError:
        scan.unreadable.append(path.name)
        return 0
    with fh:
        size = _size(path)
        decoder = LineDecoder()
        while True:
            if time.monotonic() > scan.deadline:
                scan.stopped = True
                return max(size - decoder.consumed, 1)
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            lines = decoder.feed(chunk)
            if lines:
                _scan_block(scan, sid, b"\n".join(lines))
            if decoder.broken:
                scan.unreadable.append(f"{path.name} (not gzip from byte {decoder.error_offset})")
                break
    return 0


def _scan_block(scan: _Scan, sid: str, block: bytes) -> None:
    if not scan.needles:
        for line in block.split(b"\n"):
            _consider(scan, sid, line)
        return
    lowered = block.lower()
    driver, others = scan.needles[0], scan.needles[1:]
    at = lowered.find(driver)
    while at >= 0:
        start = lowered.rfind(b"\n", 0, at) + 1
        end = lowered.find(b"\n", at)
        end = len(lowered) if end < 0 else end
        if all(lowered.find(needle, start, end) >= 0 for needle in others):
            _consider(scan, sid, block[start:end])
        at = lowered.find(driver, end)


def _consider(scan: _Scan, sid: str, line: bytes) -> None:
    if b'"span"' not in line[:64]:
        return
    try:
        span = decode_search_span(line)
    except DECODE_ERRORS:
        return
    if span.type != "span" or not _passes(scan.query, span):
        return
    record = {"attributes": span.attributes, "events": span.events, "status": span.status}
    marked = mark_terms(span.name + "\n" + span_text(record), scan.terms)
    if marked is None:
        return
    scan.total += 1
    name_line, _, body = marked.partition("\n")
    if is_lifecycle(span.name):  # set-up and tear-down: found, but its name does not count (search/_lifecycle.py)
        score = float(min(body.count(MARK_START), 50))
    else:
        score = float(min(marked.count(MARK_START), 50)) + (5.0 if MARK_START in name_line else 0.0)
    scan.seq += 1
    keep = scan.query.offset + scan.query.limit
    if len(scan.best) >= keep and (score, -scan.seq) <= scan.best[0][:2]:
        return
    if MARK_START in body:
        snippet, highlights, fieldname = snippet_of(body)
    else:
        snippet, highlights, fieldname = snippet_of(name_line, name="name")
    status = (span.status or {}).get("code")
    hit: SearchHit = {
        "session_id": sid,
        "span_id": span.span_id,
        "name": span.name,
        "snippet": snippet,
        "highlights": highlights,
        "field": fieldname,
        "kind": span.kind,
        "status": status if isinstance(status, str) else None,
        "start_time": span.start_time,
        "score": score,
    }
    entry = (score, -scan.seq, hit)
    if len(scan.best) < keep:
        heapq.heappush(scan.best, entry)
    else:
        heapq.heapreplace(scan.best, entry)


def _passes(query: SearchQuery, span: SearchSpan) -> bool:
    if query.status is not None:
        code = (span.status or {}).get("code")
        if not isinstance(code, str) or code.upper() != query.status:
            return False
    if query.kind is not None:
        category = (span.attributes or {}).get("openinference.span.kind")
        kinds = {str(span.kind or "").lower(), str(category or "").lower()}
        if query.kind.lower() not in kinds:
            return False
    start = span.start_time or ""
    if query.since is not None and start < query.since:
        return False
    return not (query.until is not None and start > query.until)


class FileScanSearch:
    """``GET /search`` without an index plugin: every byte of every trace file, newest session first, within
    ``budget`` seconds (``complete`` false and ``unread`` filled when it ran out)."""

    name = "file_scan"

    def __init__(self, gateway: GatewayState, budget: float = DEFAULT_BUDGET_SECONDS) -> None:
        self.gateway = gateway
        self.budget = budget

    async def search(self, query: SearchQuery) -> SearchPage:
        return await anyio.to_thread.run_sync(self._search, query)

    def _search(self, query: SearchQuery) -> SearchPage:
        traces_dir = self.gateway.settings.traces_dir
        sessions = sorted(self.gateway.traces.sessions(), key=lambda s: s.mtime, reverse=True)
        listed: list[tuple[str, list[Path]]] = []
        refused: list[str] = []
        for session in sessions:
            parts = trace_parts(traces_dir, session.id)
            listed.append((session.id, [p.path for p in parts if p.path is not None]))
            refused += [p.problem or p.name for p in parts if p.path is None]
        page = scan_files(listed, query, self.budget)
        if refused:
            page["refused"] = refused[:_UNREAD_IDS]
        return page
