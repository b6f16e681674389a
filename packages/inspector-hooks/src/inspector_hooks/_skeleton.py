"""Trace format v2 (SPEC §4, ``docs/trace-format.md``): the sidecars of a part and the skeleton rules.

Re-exported by ``inspector_hooks.tracefile``, the one home of the format; this module only keeps that file short.

A v2 part is still one gzip member of JSON lines (``zcat`` prints it whole); besides the sync flush after every
batch, the writer makes a ``Z_FULL_FLUSH`` (the deflate dictionary is reset, so a raw inflate can start there: an
*access point*) once ``ACCESS_POINT_BYTES`` of text went in since the last one. Every batch starts at a line
boundary, so an access point does too. Offset 0 (the gzip header) is the first access point.

Each part ``n`` of a session has three sidecars in ``{traces_dir}/.sidecars`` (``sidecar_path``), all rebuildable
from the part:

* ``{id}.{n}.skel.gz``: the skeleton stream, one gzip member sync-flushed per batch. Its lines are the part's
  records in file order: every non-span record verbatim; ``span_start`` and ``span`` records with the same keys
  but long attribute values cut (``skeleton_attributes``), ``events``/``links`` replaced by their counts, and
  ``"loc": [n, <access point>]`` added.
* ``{id}.{n}.loc``: the locators, 16-byte entries (``LOCATOR``: 8 raw bytes of span id, little-endian u64). An
  entry of a span holds the compressed offset of the access point its latest record follows (bit 63 set when
  that record is a ``span_start``); an entry with an all-zero id (``COVERED_ID``) says the skeleton and the
  locators before it cover the part's first ``value`` stored bytes. A sidecar is *current* when its last covered
  entry equals the part's size.
* ``{id}.{n}.sum.json``: the part's summary for listing sessions without reading the part (``PartSummary``).
"""

from __future__ import annotations

import json
import os
import stat
import struct
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._lines import unserializable

if TYPE_CHECKING:
    from .tracefile import LineDecoder

SIDECARS_DIR = ".sidecars"
SKELETON_SUFFIX = ".skel.gz"
LOCATOR_SUFFIX = ".loc"
SUMMARY_SUFFIX = ".sum.json"
SIDECAR_SUFFIXES = (SKELETON_SUFFIX, LOCATOR_SUFFIX, SUMMARY_SUFFIX)
#: text written between two access points, at least (a full flush costs ~1 % of size at this distance)
ACCESS_POINT_BYTES = 256 * 1024
#: the key of the object that replaces a long attribute value in the skeleton: ``{"$cut": <encoded bytes>}``
CUT_KEY = "$cut"
#: an attribute whose compact JSON encoding (UTF-8) is longer than this many bytes is cut from the skeleton
CUT_LIMIT = 200
LOCATOR = struct.Struct("<8sQ")
COVERED_ID = bytes(8)
START_BIT = 1 << 63
_SCALARS = frozenset({int, float, bool})
_SHORT_TEXT = CUT_LIMIT // 4  # a string this short is within the limit (4 bytes a character at most in UTF-8)


def sidecar_name(session_id: str, part: int, suffix: str) -> str:
    """The file name of a sidecar of part ``part`` (``suffix`` one of ``SIDECAR_SUFFIXES``)."""
    return f"{session_id}.{part}{suffix}"


def sidecar_path(directory: Path, session_id: str, part: int, suffix: str) -> Path:
    """``directory / SIDECARS_DIR / sidecar_name(...)``: where a sidecar of a part lives (inside the traces dir)."""
    return directory / SIDECARS_DIR / sidecar_name(session_id, part, suffix)


def sidecar_paths(directory: Path, session_id: str, part: int) -> list[Path]:
    """Every sidecar path of a part (existing or not), for deleting them with it."""
    return [sidecar_path(directory, session_id, part, suffix) for suffix in SIDECAR_SUFFIXES]


def check_sidecar(directory: Path, session_id: str, part: int, suffix: str) -> Path | None:
    """The real path of a sidecar when it is a regular file directly inside ``directory/.sidecars``, else None."""
    base = (directory / SIDECARS_DIR).resolve()
    real = (base / sidecar_name(session_id, part, suffix)).resolve()
    if real.parent != base:
        return None
    try:
        return real if stat.S_ISREG(os.stat(real).st_mode) else None
    except OSError:
        return None


# -- skeleton records -------------------------------------------------------------------------------------------
def encoded_size(value: Any) -> int:
    """The size an attribute value counts for against ``CUT_LIMIT``: a string's UTF-8 length (its JSON escapes are
    not counted, so no string is encoded to be measured: O(1) for ASCII text), any other value's compact JSON
    encoding in UTF-8 (``ensure_ascii=False``)."""
    if type(value) is str:
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=unserializable)
    return len(text.encode("utf-8", "replace"))


def skeleton_attributes(attributes: Mapping[str, Any], size: Callable[[Any], int] = encoded_size) -> Mapping[str, Any]:
    """``attributes`` with every value whose ``encoded_size`` is over ``CUT_LIMIT`` replaced by ``{"$cut": <that
    size>}`` (the same mapping when nothing is cut). ``size`` measures a value that is not a string or a scalar (a
    writer passes its own JSON encoder's, which must give the same lengths)."""
    cut: dict[str, Any] | None = None
    for key, value in attributes.items():
        if type(value) is str:
            if len(value) <= _SHORT_TEXT:
                continue
            n = len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
        elif value is None or type(value) in _SCALARS:
            continue
        else:
            n = size(value)
        if n > CUT_LIMIT:
            if cut is None:
                cut = dict(attributes)
            cut[key] = {CUT_KEY: n}
    return attributes if cut is None else cut


def skeleton_record(record: Mapping[str, Any], loc: tuple[int, int]) -> Mapping[str, Any]:
    """The skeleton line of one record: spans cut down and located (``loc`` = (part, access point)); any other
    record as it is."""
    kind = record.get("type")
    if kind == "span":
        out = dict(record)
        attributes = record.get("attributes")
        if isinstance(attributes, Mapping):
            out["attributes"] = skeleton_attributes(attributes)
        for key in ("events", "links"):
            value = record.get(key)
            out[key] = len(value) if isinstance(value, list) else 0
        out["loc"] = list(loc)
        return out
    if kind == "span_start":
        return {**record, "loc": list(loc)}
    return record


# -- locators ---------------------------------------------------------------------------------------------------
def locator_entry(span_id: str, access_point: int, *, start: bool = False) -> bytes:
    """The locator entry of a span's record (``span_id``: 16 hex digits) after ``access_point``."""
    return LOCATOR.pack(bytes.fromhex(span_id), access_point | START_BIT if start else access_point)


def covered_entry(size: int) -> bytes:
    """The entry that says the sidecars cover the part's first ``size`` bytes."""
    return LOCATOR.pack(COVERED_ID, size)


def covered_size(locators: bytes) -> int:
    """The part size the last covered entry of ``locators`` names (-1 when there is none)."""
    end = len(locators) - len(locators) % LOCATOR.size
    while end >= LOCATOR.size:
        span_id, value = LOCATOR.unpack_from(locators, end - LOCATOR.size)
        if span_id == COVERED_ID:
            return int(value)
        end -= LOCATOR.size
    return -1


def find_locator_entry(locators: bytes, span_id: str) -> int | None:
    """The byte offset in ``locators`` of the latest entry of ``span_id``, or None (a forward search: ``bytes.find``
    is several times faster than ``rfind``, and a span has at most two entries a part)."""
    needle = bytes.fromhex(span_id)
    end = len(locators) - len(locators) % LOCATOR.size
    latest = -1
    at = locators.find(needle, 0, end)
    while at >= 0:
        if at % LOCATOR.size == 0:
            latest = at
        at = locators.find(needle, at + 1, end)
    return None if latest < 0 else latest


def find_locator(locators: bytes, span_id: str) -> tuple[int, bool] | None:
    """``(access point, is span_start)`` of the latest record of ``span_id`` in ``locators``, or None."""
    latest = find_locator_entry(locators, span_id)
    if latest is None:
        return None
    value = LOCATOR.unpack_from(locators, latest)[1]
    return value & ~START_BIT, bool(value & START_BIT)


def read_record_at(
    path: Path, access_point: int, span_id: str, kind: str, *, limit: int = 256 << 20
) -> dict[str, Any] | None:
    """The first ``kind`` record of ``span_id`` in part ``path`` from ``access_point`` on (one inflate from there,
    stopping at the record; at most ``limit`` bytes of text). None when not found."""
    needle = f'"span_id":"{span_id}"'.encode()
    prefix = f'{{"type":"{kind}",'.encode()
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS if access_point == 0 else -zlib.MAX_WBITS)
    buffer = b""  # text from a line start on
    scan_from = 0  # where the needle may begin in ``buffer`` (what is before was searched)
    seen = 0
    with open(path, "rb") as fh:
        fh.seek(access_point)
        while seen < limit and not decomp.eof:
            chunk = fh.read(1 << 14)
            if not chunk:
                break
            try:
                text = decomp.decompress(chunk)
            except zlib.error:
                break
            seen += len(text)
            buffer += text
            at = buffer.find(needle, scan_from)
            first = 0
            while at >= 0:
                first = buffer.rfind(b"\n", 0, at) + 1
                last = buffer.find(b"\n", at)
                if last < 0:
                    break  # the line goes on in the next chunk
                if buffer.startswith(prefix, first):
                    record = json.loads(buffer[first:last])
                    if isinstance(record, dict) and record.get("span_id") == span_id:
                        return record
                at = buffer.find(needle, last)
            if at >= 0:  # keep the unfinished line that holds the needle, and search it again
                buffer, scan_from = buffer[first:], 0
            else:  # keep the unfinished last line; the needle may begin in its last bytes
                buffer = buffer[buffer.rfind(b"\n") + 1 :]
                scan_from = max(0, len(buffer) - len(needle))
    return None


class SkeletonBuilder:
    """Builds the sidecars of a part from its bytes (a v1 part, or a v2 part whose sidecars are missing or
    behind): ``feed`` the part's bytes in order, collect ``skeleton`` text lines and ``locators``. Rebuilt
    locators point at offset 0 (the access points of a part cannot be told from its bytes)."""

    def __init__(self, part: int) -> None:
        from .tracefile import LineDecoder, encode_record

        self.part = part
        self._decoder = LineDecoder()
        self._encode = encode_record
        self.covered = 0

    @property
    def broken(self) -> bool:
        return self._decoder.broken

    def checkpoint(self) -> LineDecoder:
        """A copy of the part's decoder where the bytes fed so far end: fed the part from there (its ``consumed``),
        it yields the lines whose locator entries ``feed`` has not returned yet."""
        return self._decoder.copy()

    def feed(self, chunk: bytes) -> tuple[bytes, bytes]:
        """The skeleton lines and locator entries of the lines completed by ``chunk``."""
        out: list[bytes] = []
        locs: list[bytes] = []
        for line in self._decoder.feed(chunk):
            for text, loc in self._lines(line):
                out.append(text)
                if loc is not None:
                    locs.append(loc)
        self.covered += len(chunk)
        return b"".join(out), b"".join(locs)

    def _lines(self, line: bytes) -> Iterator[tuple[bytes, bytes | None]]:
        if not line.strip():
            return
        try:
            record = json.loads(line)
        except ValueError:
            return
        if not isinstance(record, dict):
            return
        kind = record.get("type")
        span_id = record.get("span_id")
        if kind in ("span", "span_start") and isinstance(span_id, str) and _is_span_id(span_id):
            yield (
                self._encode(skeleton_record(record, (self.part, 0))),
                locator_entry(span_id, 0, start=kind == "span_start"),
            )
        else:
            yield line + b"\n", None


def _is_span_id(value: str) -> bool:
    return len(value) == 16 and all(c in "0123456789abcdef" for c in value)


# -- the listing summary ----------------------------------------------------------------------------------------
#: what the summary counts, the same rules as the gateway's line readers (``sessions._usage``, ``_registry``):
#: tokens of ``llm.generate`` spans by model (response model, else request model, else ``mcp.llm.model``)
LLM_SPAN = "llm.generate"
_MODEL_KEYS = ("gen_ai.response.model", "gen_ai.request.model", "mcp.llm.model")
_TOKEN_KEYS = ("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens")
#: kind -> the attribute naming what a span used (resources and prompts), at most ``MAX_USES`` span ids a name
USE_KEYS = (("resource", "mcp.resource.uri"), ("prompt", "mcp.prompt.template_id"))
MAX_USES = 50


class PartSummary:
    """What listing a session needs of one part, kept by its writer and written as ``{id}.{n}.sum.json`` where the
    part is at an access point (``to_json(covers)``): a reader takes it for the part's first ``covers`` bytes and
    reads on from there with ``LineDecoder(raw=True)``."""

    __slots__ = ("records", "span_count", "usage", "uses")

    def __init__(self) -> None:
        self.span_count = 0
        self.usage: dict[str, list[int]] = {}  # model -> [input tokens, output tokens, calls]
        self.uses: dict[str, dict[str, list[str]]] = {}  # kind -> name -> span ids
        self.records: dict[str, Mapping[str, Any]] = {}  # "session", "mark" (last pause/resume), "session_end"

    def add_span(self, name: str, span_id: str, attributes: Mapping[str, Any]) -> None:
        self.span_count += 1
        if name == LLM_SPAN and (_TOKEN_KEYS[0] in attributes or _TOKEN_KEYS[1] in attributes):
            self._add_usage(attributes)
        for kind, key in USE_KEYS:
            used = attributes.get(key)
            if used and isinstance(used, str):
                spans = self.uses.setdefault(kind, {}).setdefault(used, [])
                if len(spans) < MAX_USES and span_id not in spans:
                    spans.append(span_id)

    def _add_usage(self, attributes: Mapping[str, Any]) -> None:
        tokens = [attributes.get(key) for key in _TOKEN_KEYS]
        models = [attributes.get(key) for key in _MODEL_KEYS]
        for t in tokens:
            if t is not None and type(t) is not int:
                return  # a value of another type: the line readers skip the span too
        for m in models:
            if m is not None and type(m) is not str:
                return
        if tokens[0] is None and tokens[1] is None:
            return
        entry = self.usage.setdefault(next((m for m in models if m), "unknown model"), [0, 0, 0])
        entry[0] += max(0, tokens[0] or 0)
        entry[1] += max(0, tokens[1] or 0)
        entry[2] += 1

    def add_record(self, record: Mapping[str, Any]) -> None:
        """A non-span record of the part (``span_start`` records count for nothing)."""
        kind = record.get("type")
        if kind in ("session_paused", "session_resumed"):
            self.records["mark"] = record
        elif kind in ("session", "session_end"):
            self.records[str(kind)] = record

    def to_json(self, covers: int) -> bytes:
        records = [self.records[k] for k in ("session", "mark", "session_end") if k in self.records]
        body = {"v": 2, "covers": covers, "span_count": self.span_count, "usage": self.usage, "uses": self.uses}
        body["records"] = records
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=unserializable).encode()


def read_summary(path: Path) -> dict[str, Any] | None:
    """A summary file's content when it is well formed, else None (the reader then reads the part)."""
    try:
        body = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("v") != 2:
        return None
    ints = (body.get("covers"), body.get("span_count"))
    if not all(type(n) is int and n >= 0 for n in ints):
        return None
    if not isinstance(body.get("usage"), dict) or not isinstance(body.get("uses"), dict):
        return None
    if not isinstance(body.get("records"), list) or not all(isinstance(r, dict) for r in body["records"]):
        return None
    return body
