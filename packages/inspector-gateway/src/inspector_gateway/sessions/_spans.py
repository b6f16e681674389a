"""Spans of a session's trace on demand: their full records, found through the parts' locators (format v2).

A span's latest record wins: the last part first, and in a part the latest locator entry (``find_locator_entry``).
A locator pointing at a writer's access point is read from there (``tracefile.read_record_at``); one of a part
the gateway rebuilt points at the part's start, and is read from the nearest checkpoint instead
(``_checkpoints``), the spans that share one in one pass.

A live writer writes a batch to the part before its locators (and those before the skeleton), so the page may know
a span ended (its SSE event) while the locators still hold its start, or nothing: a span found only as its
``span_start``, or not at all, in a part whose locators are behind it, is looked for in the part's bytes after the
last access point the locators name (a batch or two: the writer's next locators would point there).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from inspector_hooks import tracefile

from ._checkpoints import PartIndex, last_access_point, read_records
from ._skeletons import SidecarView, Skeletons

__all__ = ["TAIL_FROM_START", "find_spans"]

#: a part bigger than this is not read from its start for what its locators do not cover yet (a writer's locators
#: name an access point past the start once the part is past its first ``ACCESS_POINT_BYTES`` of text)
TAIL_FROM_START = 4 << 20

Record = dict[str, Any]


def find_spans(
    skeletons: Skeletons, session_id: str, parts: list[tuple[int, Path]], span_ids: Iterable[str]
) -> dict[str, Record]:
    """The full record of each of ``span_ids`` (16 lower-case hex digits each) found in the session's ``parts``
    (``(number, path)`` in reading order); the ones not found are left out."""
    left = list(dict.fromkeys(span_ids))
    found: dict[str, Record] = {}
    for number, path in reversed(parts):
        if not left:
            break
        view = skeletons.view(session_id, number, path)
        if view is None:
            continue
        found.update(_in_part(skeletons, view, left))
        left = [span_id for span_id in left if span_id not in found]
    return found


def _in_part(skeletons: Skeletons, view: SidecarView, span_ids: list[str]) -> dict[str, Record]:
    index = skeletons.index(view)
    found: dict[str, Record] = {}
    if index is not None:
        own = index.locators if index.locators is not None else view.locators
        found = _from_checkpoints(view.part_path, index, own, span_ids)
    for span_id in span_ids:
        if span_id in found:
            continue
        located = tracefile.find_locator(view.locators, span_id)
        if located is None:
            continue
        access_point, is_start = located
        try:
            record = tracefile.read_record_at(view.part_path, access_point, span_id, _kind(is_start))
        except (OSError, ValueError):
            record = None
        if record is not None:
            found[span_id] = record
    if tracefile.covered_size(view.locators) < view.part_size:
        unfinished = [i for i in span_ids if found.get(i, {}).get("type") != tracefile.SPAN]
        found.update(_in_tail(view, unfinished, [i for i in unfinished if i not in found]))
    return found


def _in_tail(view: SidecarView, unfinished: list[str], unlocated: list[str]) -> dict[str, Record]:
    """Records among the part's bytes from its last located access point on (what its locators do not cover yet,
    and a little before): the ``span`` records of ``unfinished``, and the starts of ``unlocated`` not ended."""
    if not unfinished:
        return {}
    located = last_access_point(view.locators)
    access_point = 0 if located is None else located  # no span located yet: the part's start, its first one
    if access_point == 0 and view.part_size > TAIL_FROM_START:
        return {}  # locators the gateway rebuilt (all at 0) of a part a v1 writer appends to: not the whole part
    out: dict[str, Record] = {}
    for kind, wanted in ((tracefile.SPAN, unfinished), (tracefile.SPAN_START, unlocated)):
        left = {i: kind for i in wanted if i not in out}
        if not left:
            continue
        decoder = tracefile.LineDecoder(raw=access_point > 0, offset=access_point)
        try:
            out.update(read_records(view.part_path, decoder, left))
        except (OSError, ValueError):
            break
    return out


def _from_checkpoints(path: Path, index: PartIndex, locators: bytes, span_ids: list[str]) -> dict[str, Record]:
    """The records found from the checkpoints before their entries in ``locators`` (the index's own, or the
    rebuilt sidecar's the checkpoints were counted in), one pass for the spans that share a checkpoint."""
    groups: dict[int, dict[str, str]] = {}
    for span_id in span_ids:
        entry = tracefile.find_locator_entry(locators, span_id)
        if entry is None:
            continue
        value = tracefile.LOCATOR.unpack_from(locators, entry)[1]
        groups.setdefault(index.checkpoint_at(entry), {})[span_id] = _kind(bool(value & tracefile.START_BIT))
    found: dict[str, Record] = {}
    for k, wanted in groups.items():
        try:
            found.update(read_records(path, index.decoder_at(k), wanted))
        except (OSError, ValueError):
            continue
    return found


def _kind(is_start: bool) -> str:
    return tracefile.SPAN_START if is_start else tracefile.SPAN
