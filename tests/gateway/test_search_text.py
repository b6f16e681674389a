"""The readable text of a span (inspector_gateway.search.span_text): whitespace and control characters."""

from __future__ import annotations

import random

from inspector_gateway.search import span_text

_CONTROL = dict.fromkeys([*range(0x20), 0x7F], " ")


def _plain(text: str) -> str:
    """The rule, written the slow and obvious way: control characters are spaces, whitespace runs one space."""
    return " ".join(text.translate(_CONTROL).split())


def test_whitespace_and_control_characters_become_single_spaces() -> None:
    record = {
        "attributes": {"a": " one\ttwo\n\nthree\x00four\x1ffive\x7fsix  ", "b": "caf\u00e9\u00a0au\u2028lait\x85!"}
    }
    assert span_text(record) == "a: one two three four five six\nb: caf\u00e9 au lait !"


def test_the_ascii_path_gives_what_the_rule_gives() -> None:
    rng = random.Random(17)
    ascii_only = "ab \t\n\r\x0b\x0c\x00\x01\x1b\x1c\x1f\x7f"
    mixed = ascii_only + "\u00e9\u00a0\x85\u2028\u3000"
    for alphabet in (ascii_only, mixed):
        for _ in range(5_000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
            expected = f"k: {_plain(text)}" if _plain(text) else ""
            assert span_text({"attributes": {"k": text}}) == expected, repr(text)
