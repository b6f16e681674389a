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

from inspector_hooks import tracefile

from ._jsonl import SpanLine, StatusLine, encode_lines

logger = logging.getLogger(__name__)

#: makes a batch's (skeleton bytes, locator bytes) for (part, access points): each access point as (index of the
#: batch's first line after it, its compressed offset), the first one before line 0
SkeletonOf = Callable[[int, list[tuple[int, int]], tracefile.PartSummary], tuple[bytes, bytes]]
SUMMARY_EVERY_S = 1.0  # a live part's summary is rewritten at most this often (and at its close)


class SkeletonSpan(msgspec.Struct, tag_field="type", tag=tracefile.SPAN, gc=False):
    """A span's skeleton line: the span line's keys in order, attributes cut, counts for events and links, loc."""

    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    kind: str
    start_time: str
    end_time: str
    status: StatusLine
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


def skeleton_of(verbatim: list[bytes], records: list[Any]) -> SkeletonOf:
    """The batch's skeleton maker: ``verbatim`` lines (a header, a session_end) first, then ``records``."""

    def make(part: int, points: list[tuple[int, int]], summary: tracefile.PartSummary) -> tuple[bytes, bytes]:
        access_point = points[0][1]
        loc = (part, access_point)
        following = iter(points[1:])
        upcoming = next(following, None)  # the next access point: (first line after it, offset)
        out: list[Any] = []
        locs: list[bytes] = []
        pack = tracefile.LOCATOR.pack
        for index, r in enumerate(records, len(verbatim)):
            while upcoming is not None and upcoming[0] <= index:
                access_point = upcoming[1]
                loc = (part, access_point)
                upcoming = next(following, None)
            if type(r) is SpanLine:
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
                        tracefile.skeleton_attributes(r.attributes, _size),
                        len(r.events),
                        len(r.links),
                        loc,
                    )
                )
                locs.append(pack(bytes.fromhex(r.span_id), access_point))
                attributes = r.attributes
                if r.name == LLM_SPAN or _RESOURCE in attributes or _PROMPT in attributes:
                    summary.add_span(r.name, r.span_id, attributes)
                else:
                    summary.span_count += 1
            elif isinstance(r, dict) and r.get("type") == tracefile.SPAN_START:
                out.append(tracefile.skeleton_record(r, loc))
                locs.append(tracefile.locator_entry(r["span_id"], access_point, start=True))
            else:
                out.append(r)
                summary.add_record(r)
        for line in verbatim:  # a header, a session_end: rare, small
            summary.add_record(json.loads(line))
        text = b"".join(verbatim)
        return (text + encode_lines(out) if out else text), b"".join(locs)

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
