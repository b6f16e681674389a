"""The sidecars of one part as the exporter writes them (format v2, ``inspector_hooks.tracefile``): the skeleton
stream and the locators, written after each batch of the part, in the writer thread.

The sidecars are rebuildable from the part, so they never cost trace data: any failure writing them closes and
deletes them (the gateway rebuilds missing ones) and this part writes no more sidecars.
Skeleton lines of spans are built here from the writer's records (msgspec structs, same keys and order as the
span line) under the rules of ``tracefile.skeleton_attributes``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Raw

from inspector_hooks import tracefile

from ._jsonl import SpanHead, SpanLine, encode_lines

logger = logging.getLogger(__name__)

#: makes a batch's (skeleton bytes, locator bytes) for (part, the batch's text, access points): each access point as
#: (offset in the text of the first line after it, its compressed offset), the first one at offset 0
SkeletonOf = Callable[[int, bytes, list[tuple[int, int]], tracefile.PartSummary], tuple[bytes, bytes]]
SUMMARY_EVERY_S = 1.0  # a live part's summary is rewritten at most this often (and at its close)


class SkeletonSpan(SpanHead, tag_field="type", tag=tracefile.SPAN, gc=False):
    """A span's skeleton line: the span line's keys in order, attributes cut, counts for events and links, loc."""

    attributes: Any
    events: int
    links: int
    loc: tuple[int, int]


_size_encoder = msgspec.json.Encoder()
_encode = _size_encoder.encode
LLM_SPAN = tracefile.LLM_SPAN
_RESOURCE, _PROMPT = (key for _, key in tracefile.USE_KEYS)  # the attributes the summary looks at besides usage


def _size(value: Any) -> int:
    try:
        return len(_encode(value))
    except (TypeError, ValueError, OverflowError):
        return tracefile.encoded_size(value)


#: how a span line with no events and no links ends; its skeleton line ends ``"events":0,"links":0,"loc":[n,a]}``
_BARE_END = b'"events":[],"links":[]}\n'


def skeleton_of(verbatim: list[bytes], records: list[Any]) -> SkeletonOf:
    """The batch's skeleton maker: ``verbatim`` lines (a header, a session_end) first, then ``records``.

    The batch's text holds one line per record, so the skeleton is mostly made of it: a run of span lines that
    keep their attributes whole and have no events or links is copied with one ``bytes.replace`` of the line's end
    (a raw newline only ends a JSON line, so ``_BARE_END`` matches there only, and only when both lists are empty);
    a ``span_start`` line gets ``loc`` before its last brace; other records are copied; only a span with a cut or
    with events or links is encoded again (``SkeletonSpan``). Locators of a run of spans after one access point
    are packed by one ``bytes.fromhex``. The bytes are those of encoding ``tracefile.skeleton_record`` of each
    record (tests/otel/test_sidecars.py compares them).
    """

    def make(
        part: int, data: bytes, points: list[tuple[int, int]], summary: tracefile.PartSummary
    ) -> tuple[bytes, bytes]:
        out: list[Any] = []  # the skeleton lines after the verbatim ones: records and Raw runs of lines (no last \n)
        ids: list[str] = []  # span ids whose locator entries follow the current access point (not packed yet)
        locs: list[bytes] = []
        pos = sum(map(len, verbatim))
        run = pos  # the start of the run of lines copied (their span lines' ends replaced) up to ``pos``
        access_point = points[0][1]
        ap_hex = access_point.to_bytes(8, "little").hex()
        tail = b'"events":0,"links":0,"loc":[%d,%d]}\n' % (part, access_point)
        following = 1
        next_at = points[1][0] if len(points) > 1 else len(data)
        spans = 0
        find = data.find
        cut_of = tracefile.skeleton_attributes
        for r in records:
            end = find(b"\n", pos) + 1
            if pos >= next_at:  # the first line after a new access point
                if run < pos:
                    out.append(Raw(memoryview(data[run:pos].replace(_BARE_END, tail))[:-1]))
                run = pos
                if ids:
                    locs.append(bytes.fromhex(ap_hex.join(ids) + ap_hex))
                    ids = []
                while following < len(points) and points[following][0] <= pos:
                    access_point = points[following][1]
                    following += 1
                next_at = points[following][0] if following < len(points) else len(data)
                ap_hex = access_point.to_bytes(8, "little").hex()
                tail = b'"events":0,"links":0,"loc":[%d,%d]}\n' % (part, access_point)
            if type(r) is SpanLine:
                attributes = r.attributes
                cut = cut_of(attributes, _size)
                if cut is not attributes or r.events or r.links:
                    if run < pos:
                        out.append(Raw(memoryview(data[run:pos].replace(_BARE_END, tail))[:-1]))
                    run = end
                    out.append(
                        SkeletonSpan(
                            r.trace_id,
                            r.span_id,
                            r.parent_span_id,
                            r.name,
                            r.kind,
                            r.start_time,
                            r.end_time,
                            r.status,
                            cut,
                            len(r.events),
                            len(r.links),
                            (part, access_point),
                        )
                    )
                ids.append(r.span_id)
                if r.name == LLM_SPAN or _RESOURCE in attributes or _PROMPT in attributes:
                    summary.add_span(r.name, r.span_id, attributes)
                else:
                    spans += 1
            else:  # rare: copied as they are, or a span_start with its loc
                if run < pos:
                    out.append(Raw(memoryview(data[run:pos].replace(_BARE_END, tail))[:-1]))
                run = end
                if isinstance(r, dict) and r.get("type") == tracefile.SPAN_START:
                    if ids:
                        locs.append(bytes.fromhex(ap_hex.join(ids) + ap_hex))
                        ids = []
                    locs.append(tracefile.locator_entry(r["span_id"], access_point, start=True))
                    out.append(tracefile.skeleton_record(r, (part, access_point)))
                else:
                    out.append(Raw(data[pos : end - 1]))
                    summary.add_record(r)
            pos = end
        if run < pos:
            out.append(Raw(memoryview(data[run:pos].replace(_BARE_END, tail))[:-1]))
        if ids:
            locs.append(bytes.fromhex(ap_hex.join(ids) + ap_hex))
        summary.span_count += spans
        for line in verbatim:  # a header, a session_end: rare, small
            summary.add_record(json.loads(line))
        head = data[: sum(map(len, verbatim))]
        return (head + encode_lines(out) if out else head), b"".join(locs)

    return make


class Sidecars:
    """The skeleton and locator files of one part, open while the part is."""

    __slots__ = ("_finish", "_sync", "compressor", "loc", "paths", "skel", "summarized", "summary", "summary_path")

    def __init__(self, directory: Path, session_id: str, part: int, compressor: tuple[Any, int, int]) -> None:
        self.paths = [
            tracefile.sidecar_path(directory, session_id, part, suffix)
            for suffix in (tracefile.SKELETON_SUFFIX, tracefile.LOCATOR_SUFFIX)
        ]
        folder = self.paths[0].parent
        folder.mkdir(exist_ok=True)
        self.skel = open(self.paths[0], "wb")  # noqa: SIM115 - open as long as the part
        try:
            self.loc = open(self.paths[1], "wb")  # noqa: SIM115
        except OSError:
            self.skel.close()
            raise
        self.compressor, self._sync, self._finish = compressor
        self.summary = tracefile.PartSummary()
        self.summary_path = tracefile.sidecar_path(directory, session_id, part, tracefile.SUMMARY_SUFFIX)
        self.summarized = -SUMMARY_EVERY_S  # monotonic time of the last summary written

    def summary_due(self) -> bool:
        """Whether this batch should end at an access point to write the summary there."""
        return time.monotonic() - self.summarized >= SUMMARY_EVERY_S

    def write(self, skeleton: bytes, locators: bytes, covered: int, at_access_point: bool) -> None:
        # locators first: a reader that sees a span in the skeleton must find its record (not only its start)
        self.loc.write(locators + tracefile.covered_entry(covered))
        self.loc.flush()
        self.skel.write(self.compressor.compress(skeleton) + self.compressor.flush(self._sync))
        self.skel.flush()
        if at_access_point and self.summary_due():
            self._summarize(covered)

    def _summarize(self, covered: int) -> None:
        """Write the summary for the part's first ``covered`` bytes (an access point), atomically."""
        tmp = self.summary_path.with_name(f".tmp-{self.summary_path.name}")
        with open(tmp, "wb") as fh:
            fh.write(self.summary.to_json(covered))
        os.replace(tmp, self.summary_path)
        self.summarized = time.monotonic()

    def close(self, covered: int) -> None:
        try:
            self.skel.write(self.compressor.flush(self._finish))
            self.loc.write(tracefile.covered_entry(covered))
        finally:
            self.skel.close()
            self.loc.close()
        self._summarize(covered)

    def release(self) -> None:
        """Close both files as they are (no trailer, no covered entry)."""
        for fh in (self.skel, self.loc):
            with contextlib.suppress(OSError):
                fh.close()

    def discard(self) -> None:
        """Close and delete both files (after a failure: the gateway rebuilds them from the part)."""
        for fh in (self.skel, self.loc):
            with contextlib.suppress(OSError):
                fh.close()
        for path in (*self.paths, self.summary_path):
            with contextlib.suppress(OSError):
                os.unlink(path)
