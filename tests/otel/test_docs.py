"""docs/telemetry.md carries the attribute table generated from inspector_otel.attributes, row for row."""

from __future__ import annotations

from pathlib import Path

from inspector_otel.attributes import ATTRIBUTES, BEGIN_MARK, END_MARK, render_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "telemetry.md"


def _rows(text: str) -> list[list[str]]:
    section = text.split(BEGIN_MARK, 1)[1].split(END_MARK, 1)[0]
    lines = [ln for ln in section.strip().splitlines()[2:] if ln.startswith("|")]
    return [[c.strip() for c in ln.strip("|").split(" | ")] for ln in lines]


def test_doc_table_matches_catalogue():
    text = DOC.read_text(encoding="utf-8")
    assert render_table() in text, "docs/telemetry.md is stale: run scripts/gen-docs"
    rows = _rows(text)
    assert [r[0].strip("`") for r in rows] == [a.name for a in ATTRIBUTES]
    assert all(r[3] in {"implemented", "conditional", "future"} for r in rows)


def test_catalogue_names_are_unique_and_hooked():
    names = [a.name for a in ATTRIBUTES]
    assert len(names) == len(set(names))
    for a in ATTRIBUTES:
        if a.status != "future":
            assert a.hooks not in {"", "-"}, a.name
