"""The lines of a trace-file part: an incremental decoder of its gzip members (and of a v2 access point's raw start),
and the one JSON encoding of a record. Public through ``inspector_hooks.tracefile``; ``unserializable`` is shared
with the skeleton's lines."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["LineDecoder", "append_records", "decode_record", "encode_record", "read_lines"]


# -- reading ----------------------------------------------------------------------------------------------------
_SLICE = 64 * 1024  # decompress in slices, so a corrupt byte loses at most the lines of one slice


class LineDecoder:
    """Incremental reader of one part: ``feed`` it the file's bytes in order, get back its complete lines.

    Gzip members may follow each other; a member without trailer just waits for more bytes. At the first corrupt
    byte the part is ``broken`` (``error_offset``: where, to within 256 bytes): the lines decoded before it are kept
    and everything after is ignored. With ``raw``, the bytes start at an access point (format v2) inside a member,
    at ``offset`` of the part: raw deflate up to that member's end, then its 8-byte trailer, then gzip members.
    """

    __slots__ = ("_decomp", "_pending", "_raw", "_skip", "broken", "consumed", "error_offset")

    def __init__(self, *, raw: bool = False, offset: int = 0) -> None:
        self._decomp = zlib.decompressobj(-zlib.MAX_WBITS if raw else 16 + zlib.MAX_WBITS)
        self._raw = raw
        self._skip = 0  # trailer bytes still to pass over (after a raw member's end)
        self._pending = b""
        self.broken = False
        self.consumed = offset  # the part's bytes before the first fed (an access point's offset), then fed so far
        self.error_offset: int | None = None

    def copy(self) -> LineDecoder:
        """An independent decoder in this one's state: fed the part's bytes from ``consumed`` on, it returns the
        same lines this one would (a checkpoint to read a part on from, without inflating it from its start)."""
        other = LineDecoder.__new__(LineDecoder)
        other._decomp = self._decomp.copy()
        other._raw, other._skip, other._pending = self._raw, self._skip, self._pending
        other.broken, other.consumed, other.error_offset = self.broken, self.consumed, self.error_offset
        return other

    def feed(self, chunk: bytes) -> list[bytes]:
        """The lines completed by ``chunk`` (without their ``\\n``; empty lines included)."""
        if self.broken:
            return []
        out: list[bytes] = []
        base = self.consumed
        self.consumed += len(chunk)
        view = memoryview(chunk)
        for start in range(0, len(view), _SLICE):
            piece = view[start : start + _SLICE]
            end = base + start + len(piece)
            while piece:
                if self._skip:
                    dropped = min(self._skip, len(piece))
                    piece, self._skip = piece[dropped:], self._skip - dropped
                    continue
                saved = self._decomp.copy()
                try:
                    out.append(self._decomp.decompress(piece))
                except zlib.error:  # go over the slice again in small steps, to keep what decodes before the error
                    self._decomp = saved
                    self.error_offset = self._salvage(piece, end - len(piece), out)
                    self.broken = True
                    break
                if self._decomp.eof:  # another gzip member may follow (append-mode writers)
                    piece = memoryview(self._decomp.unused_data)
                    self._decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    if self._raw:  # a raw start ends with its member's trailer
                        self._raw, self._skip = False, 8
                else:
                    piece = memoryview(b"")
            if self.broken:
                break
        lines = (self._pending + b"".join(out)).split(b"\n")
        self._pending = b"" if self.broken else lines.pop()
        if self.broken and lines:
            lines.pop()  # the line cut by the corrupt byte is not complete
        return lines

    def _salvage(self, piece: memoryview, offset: int, out: list[bytes]) -> int:
        """Decode ``piece`` (at ``offset`` of the part) in steps of 256 bytes up to the first corrupt step; returns
        that step's offset."""
        for start in range(0, len(piece), 256):
            step = piece[start : start + 256]
            while step:
                try:
                    out.append(self._decomp.decompress(step))
                except zlib.error:
                    return offset + start
                if self._decomp.eof:
                    step = memoryview(self._decomp.unused_data)
                    self._decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    step = memoryview(b"")
        return offset + len(piece)


def read_lines(path: Path, *, chunk: int = 1 << 20) -> Iterator[bytes]:
    """The complete lines of one part (a partial last line is left out). Raises ``OSError`` if it cannot be read."""
    decoder = LineDecoder()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            yield from decoder.feed(block)
            if decoder.broken:
                return


def decode_record(line: bytes | str) -> dict[str, Any]:
    """One line as its record; raises ``ValueError`` when it is not a JSON object."""
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("a trace-file line must be a JSON object")
    return record


# -- writing ----------------------------------------------------------------------------------------------------
def unserializable(obj: Any) -> str:
    """What a value JSON cannot hold is written as (``json.dumps(default=...)``) in records and skeleton lines."""
    return f"<unserializable: {type(obj).__name__}>"


def encode_record(record: Mapping[str, Any]) -> bytes:
    """One compact JSON line (UTF-8, with ``\\n``); a value JSON cannot hold becomes a placeholder string."""
    text = json.dumps(record, separators=(",", ":"), ensure_ascii=False, default=unserializable)
    return text.encode("utf-8", "replace") + b"\n"  # a lone surrogate becomes "?"


def append_records(path: Path, records: Iterable[Mapping[str, Any]], *, level: int = 6) -> None:
    """Append ``records`` to ``path`` as one complete gzip member (a simple writer; the exporter has a faster one)."""
    import gzip  # imported here: the hook bus's import stays cheap

    data = b"".join(encode_record(r) for r in records)
    with open(path, "ab") as fh:
        fh.write(gzip.compress(data, compresslevel=level))
