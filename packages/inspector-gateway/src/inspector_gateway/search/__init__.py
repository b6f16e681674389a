"""What every search backend shares: the query syntax, the readable text of a span, and snippets.

Query syntax (docs/search.md): words separated by spaces must all match; ``"a quoted phrase"`` matches those words
in a row; ``word*`` matches words starting with ``word``. Case never matters.

The readable text of a span is its name plus one line per attribute, ``key: value``, where JSON values (the
``*_json`` attributes: prompts, responses, tool inputs and outputs) are unwrapped into their string and number
leaves, so a snippet reads ``mcp.tool.output_json: 21 C in Paris`` instead of escaped JSON. Events (exceptions)
and the status message follow the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from ._lifecycle import LIFECYCLE_METHODS, is_lifecycle

__all__ = [
    "LIFECYCLE_METHODS",
    "MARK_END",
    "MARK_START",
    "MAX_TEXT_CHARS",
    "SearchSpan",
    "Term",
    "decode_search_span",
    "fts5_expression",
    "is_lifecycle",
    "mark_terms",
    "parse_query",
    "snippet_of",
    "span_text",
]

MARK_START = "\x02"
MARK_END = "\x03"
#: the readable text of one span is cut here (the exporter already cuts each value at 30,720 characters)
MAX_TEXT_CHARS = 262_144
_SNIPPET_BEFORE = 60
_SNIPPET_AFTER = 140
# control characters (the snippet marks among them) become spaces; whitespace runs are then joined by one space
_CONTROL = dict.fromkeys([*range(0x20), 0x7F], " ")
_CONTROL_BYTES = bytes.maketrans(bytes([*range(0x20), 0x7F]), b" " * 33)
_SPACES = re.compile(r"\s+")
_decode_json = msgspec.json.decode
_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')
_WORDISH = re.compile(r"\w", re.UNICODE)


class SearchSpan(msgspec.Struct):
    """The fields of a trace file's span line that search reads (SPEC §4); other fields and record types decode to
    their defaults (``type`` tells a span from the rest)."""

    type: str = ""
    span_id: str | None = None
    name: str = ""
    kind: str | None = None
    start_time: str | None = None
    status: dict[str, Any] | None = None
    attributes: dict[str, Any] | None = None
    events: list[Any] | None = None


#: decode one trace-file line into a ``SearchSpan`` (raises ``msgspec`` errors on a line that is not such JSON)
decode_search_span = msgspec.json.Decoder(SearchSpan).decode


@dataclass(frozen=True)
class Term:
    """One part of a query: a word, a phrase (``phrase``) or a prefix (``prefix``); ``text`` is lower-cased."""

    text: str
    phrase: bool = False
    prefix: bool = False


def parse_query(query: str) -> list[Term]:
    """The terms of ``query``; parts without a letter or digit are dropped (they cannot match a word)."""
    terms: list[Term] = []
    for match in _QUERY_PART.finditer(query):
        quoted, word = match.group(1), match.group(2)
        if quoted is not None:
            text = _SPACES.sub(" ", quoted).strip().lower()
            if _WORDISH.search(text):
                terms.append(Term(text, phrase=" " in text))
            continue
        prefix = word.endswith("*")
        text = word.rstrip("*").strip('"').lower()
        if _WORDISH.search(text):
            terms.append(Term(text, prefix=prefix))
    return terms


def fts5_expression(terms: Sequence[Term]) -> str:
    """An SQLite FTS5 MATCH expression of ``terms`` (all must match); every term quoted, so no input is syntax."""
    parts = []
    for term in terms:
        quoted = '"' + term.text.replace('"', '""') + '"'
        parts.append(quoted + " *" if term.prefix else quoted)
    return " AND ".join(parts)


def _leaves(value: Any, depth: int = 0) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        if depth < 32:
            for item in value.values():
                yield from _leaves(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        if depth < 32:
            for item in value:
                yield from _leaves(item, depth + 1)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def _readable(value: Any) -> str:
    if isinstance(value, str):
        if value[:1] in ("{", "[", '"'):
            try:
                value = _decode_json(value)
            except (msgspec.DecodeError, ValueError, RecursionError):
                pass
            else:
                return " ".join(leaf for leaf in _leaves(value) if leaf)
        text: str = value
        return text
    return " ".join(_leaves(value))


def _squeeze(text: str) -> str:
    """``text`` with control characters as spaces and every whitespace run one space, stripped. ASCII text (most
    of it) takes a path ~3x faster than the general one, with the same result: bytes.translate, then double
    spaces halved until none is left (the only whitespace ASCII has left after the translation is the space)."""
    if text.isascii():
        out = text.encode("ascii").translate(_CONTROL_BYTES).decode("ascii")
        while "  " in out:
            out = out.replace("  ", " ")
        return out.strip(" ")
    return " ".join(text.translate(_CONTROL).split())


def _line(key: str, value: Any) -> str:
    text = _squeeze(_readable(value))
    return f"{key}: {text}" if text else ""


def span_text(span: Mapping[str, Any]) -> str:
    """The readable text of a SPEC §4 span record (without its name): one ``key: value`` line per attribute,
    then each event's attributes (``exception.message: ...``) and the status message."""
    lines: list[str] = []
    attributes = span.get("attributes")
    if isinstance(attributes, Mapping):
        lines.extend(_line(str(k), v) for k, v in attributes.items())
    events = span.get("events")
    if isinstance(events, list):
        for event in events:
            if isinstance(event, Mapping):
                attrs = event.get("attributes")
                if isinstance(attrs, Mapping):
                    lines.extend(_line(str(k), v) for k, v in attrs.items())
    status = span.get("status")
    if isinstance(status, Mapping) and status.get("message"):
        lines.append(_line("status.message", status.get("message")))
    text = "\n".join(line for line in lines if line)
    return text[:MAX_TEXT_CHARS]


def snippet_of(marked: str, *, name: str | None = None) -> tuple[str, list[list[int]], str | None]:
    """Cut a readable snippet around the first match in the best line of ``marked`` (text with ``MARK_START`` and
    ``MARK_END`` around each match).

    Returns the snippet, the ``[start, end)`` code-point ranges of the matches in it, and the field: the attribute
    key of the matched line, or ``name`` when given (``marked`` is then the span name).
    """
    if MARK_START not in marked:
        return "", [], None
    line = _best_line(marked)
    field: str | None = name
    if name is None:
        key, sep, _ = line.partition(": ")
        if sep and MARK_START not in key:
            field = key.replace(MARK_END, "")
            line = line[len(key) + 2 :]
    first = line.find(MARK_START)
    start = max(0, first - _SNIPPET_BEFORE)
    if start > 0:  # begin at a word
        space = line.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    # never cut inside a marked match
    open_before = line.rfind(MARK_START, 0, start)
    if open_before > line.rfind(MARK_END, 0, start):
        start = open_before
    end = _cut_end(line, first)
    window = line[start:end]
    if window.count(MARK_START) > window.count(MARK_END):
        window += MARK_END
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(line) else ""
    text, highlights = _strip_marks(prefix + window + suffix)
    return text, highlights, field


def _best_line(marked: str) -> str:
    """The line with the most distinct matched words (the first of equals)."""
    best, best_score = "", -1
    for line in marked.split("\n"):
        if MARK_START not in line:
            continue
        words = {part.split(MARK_END, 1)[0].lower() for part in line.split(MARK_START)[1:]}
        if len(words) > best_score:
            best, best_score = line, len(words)
    return best


def _cut_end(line: str, first: int) -> int:
    end = first + _SNIPPET_BEFORE + _SNIPPET_AFTER
    if end >= len(line):
        return len(line)
    space = line.rfind(" ", first, end)
    return space if space > line.find(MARK_END, first) else end


def _strip_marks(text: str) -> tuple[str, list[list[int]]]:
    out: list[str] = []
    highlights: list[list[int]] = []
    position = 0
    opened = -1
    for char in text:
        if char == MARK_START:
            opened = position
        elif char == MARK_END:
            if opened >= 0 and position > opened:
                highlights.append([opened, position])
            opened = -1
        else:
            out.append(char)
            position += 1
    if opened >= 0 and position > opened:
        highlights.append([opened, position])
    return "".join(out), _merged(highlights)


def _merged(ranges: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def mark_terms(text: str, terms: Sequence[Term]) -> str | None:
    """``text`` with every occurrence of every term between ``MARK_START`` and ``MARK_END``, or None unless each
    term occurs (case-insensitive substrings: the file scan's matching, looser than an index's words)."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        found = [(m.start(), m.end()) for m in _pattern(term).finditer(text)]
        if not found:
            return None
        spans.extend(found)
    spans.sort()
    out: list[str] = []
    last = 0
    for start, end in spans:
        if start < last:
            continue
        out += [text[last:start], MARK_START, text[start:end], MARK_END]
        last = end
    out.append(text[last:])
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _pattern(term: Term) -> re.Pattern[str]:
    return re.compile(re.escape(term.text).replace(r"\ ", r"\s+"), re.IGNORECASE)
