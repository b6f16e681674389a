"""Checkpoints into parts without access points, so a span of a rebuilt part is read from near it.

A part whose sidecars the gateway rebuilt (a v1 part, or a v2 part whose sidecars were lost) has one access point,
its start: rebuilt locators all point at offset 0 (``docs/trace-format.md``), and reading a span from there
inflates half the part on average (~1 s a span on a 60 MB part). So while the gateway reads such a part it keeps
*checkpoints*: copies of its decoder (``LineDecoder.copy``: the inflate state with its 32 KiB window, and the
unfinished line) every ``interval`` compressed bytes, each with the number of locator bytes made before it. A
span's latest locator entry lies at or after the position of the last checkpoint taken before that entry was
made, so its record is among the lines that checkpoint's decoder yields: one inflate of about ``interval`` bytes.

Checkpoints live in memory only (the writer's files and the sidecars stay as they are), bounded over all parts
(``MAX_BYTES``). A gateway that finds rebuilt sidecars it has no checkpoints of (it restarted since) makes them in
one pass over the part that only inflates and picks out span ids (``scan``), with locators of its own. A wrong
guess anywhere only costs time: a span not found from a checkpoint is read from the part's start.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspector_hooks import tracefile

__all__ = ["MAX_BYTES", "PartIndex", "all_at_start", "interval_for", "last_access_point", "read_records", "scan"]

MAX_BYTES = 96 << 20  # checkpoints (and scanned locators) kept over all parts
MIN_INTERVAL = 512 << 10  # compressed bytes between two checkpoints, at least
MAX_CHECKPOINTS = 1024  # a part's checkpoints, at most (the interval grows with the part: ~0.6 MiB at 640 MB)
_COST = 48 << 10  # memory of one checkpoint: zlib's inflate state and window, and the unfinished line (a guess)
_READ = 64 << 10
_SPAN_LINE = b'{"type":"span'
_START_LINE = b'{"type":"span_start",'
_ID_KEY = b'"span_id":"'
_HEX = frozenset(b"0123456789abcdef")


def interval_for(size: int) -> int:
    """The distance between checkpoints in a part of ``size`` stored bytes."""
    return max(MIN_INTERVAL, size // MAX_CHECKPOINTS)


@dataclass
class PartIndex:
    """The checkpoints of one part (``inode``), read up to ``covered``; ``locators`` are its own (made by ``scan``)
    or None when the positions are those of the part's rebuilt locator sidecar (``loc_total`` bytes long)."""

    inode: int
    interval: int
    covered: int = 0
    loc_total: int = 0
    locators: bytes | None = None
    positions: list[int] = field(default_factory=list)
    decoders: list[tracefile.LineDecoder] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.decoders) * _COST + len(self.locators or b"")

    def due(self, offset: int) -> bool:
        """A checkpoint is due where the part's first ``offset`` bytes are read."""
        last = self.decoders[-1].consumed if self.decoders else 0
        return offset - last >= self.interval

    def add(self, decoder: tracefile.LineDecoder, position: int) -> None:
        # the decoder first: a lookup reading without the part's lock never finds a position without its decoder
        self.decoders.append(decoder)
        self.positions.append(position)

    def checkpoint_at(self, entry: int) -> int:
        """The number of the last checkpoint taken before the locator entry at byte ``entry`` was made (-1: none,
        the part's start)."""
        return bisect.bisect_right(self.positions, entry) - 1

    def decoder_at(self, k: int) -> tracefile.LineDecoder:
        """A decoder to read on from checkpoint ``k`` (its copy: reading moves it), or from the start (``k`` < 0)."""
        return self.decoders[k].copy() if k >= 0 else tracefile.LineDecoder()


def last_access_point(locators: bytes) -> int | None:
    """The access point the last span entry of ``locators`` points at (None without one): from there on, a raw
    inflate reads every record the entries after it would locate."""
    end = len(locators) - len(locators) % tracefile.LOCATOR.size
    while end >= tracefile.LOCATOR.size:
        span_id, value = tracefile.LOCATOR.unpack_from(locators, end - tracefile.LOCATOR.size)
        if span_id != tracefile.COVERED_ID:
            return int(value) & ~tracefile.START_BIT
        end -= tracefile.LOCATOR.size
    return None


def all_at_start(locators: bytes) -> bool:
    """Whether the last span entry of ``locators`` points at offset 0 (rebuilt locators do, all of them; a
    writer's point at later access points once the part is past its first)."""
    return last_access_point(locators) == 0


def read_records(path: Path, decoder: tracefile.LineDecoder, wanted: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The first record of each wanted span (span id -> ``span``/``span_start``) in the lines ``decoder`` yields
    from its ``consumed`` offset of ``path`` on; stops when all are found. Raises ``OSError``."""
    found: dict[str, dict[str, Any]] = {}
    with open(path, "rb") as fh:
        fh.seek(decoder.consumed)
        while len(found) < len(wanted) and not decoder.broken:
            chunk = fh.read(_READ)
            if not chunk:
                break
            for line in decoder.feed(chunk):
                span_id = _span_id(line)
                if span_id is None or span_id in found:
                    continue
                kind = wanted.get(span_id)
                if kind is None or not line.startswith(b'{"type":"' + kind.encode() + b'",'):
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("span_id") == span_id:
                    found[span_id] = record
    return found


def scan(path: Path, inode: int, size: int) -> PartIndex | None:
    """Checkpoints and locators of the part's first ``size`` bytes, by one inflating pass (no JSON parse: a span
    line's id is the first ``"span_id":"`` value after its type). None when the part cannot be read."""
    index = PartIndex(inode, interval_for(size))
    decoder = tracefile.LineDecoder()
    locators: list[bytes] = []
    made = 0
    try:
        with open(path, "rb") as fh:
            while decoder.consumed < size and not decoder.broken:
                chunk = fh.read(min(_READ, size - decoder.consumed))
                if not chunk:
                    break
                for line in decoder.feed(chunk):
                    span_id = _span_id(line)
                    if span_id is not None:
                        locators.append(tracefile.locator_entry(span_id, 0, start=line.startswith(_START_LINE)))
                        made += tracefile.LOCATOR.size
                if index.due(decoder.consumed):
                    index.add(decoder.copy(), made)
    except OSError:
        return None
    index.covered = decoder.consumed
    index.locators = b"".join(locators)
    index.loc_total = made
    return index


def _span_id(line: bytes) -> str | None:
    """The span id of a ``span``/``span_start`` line (None for any other line)."""
    if not line.startswith(_SPAN_LINE):
        return None
    at = line.find(_ID_KEY)
    if at < 0:
        return None
    raw = line[at + len(_ID_KEY) : at + len(_ID_KEY) + 16]
    if len(raw) != 16 or not _HEX.issuperset(raw) or line[at + len(_ID_KEY) + 16 : at + len(_ID_KEY) + 17] != b'"':
        return None
    return raw.decode()
