"""docs/trace-format.md states the v2 constants of inspector_hooks.tracefile (the one home of the format)."""

from __future__ import annotations

from pathlib import Path

from inspector_hooks import tracefile

DOC = Path(__file__).parents[2] / "docs" / "trace-format.md"


def _value(value: object) -> str:
    return str(value) if isinstance(value, int) else f"`{value}`"


def test_the_constants_table_matches_the_code():
    text = DOC.read_text(encoding="utf-8")
    table = text.split("## Constants", 1)[1]
    expected = {
        "FORMAT_VERSION": tracefile.FORMAT_VERSION,
        "ACCESS_POINT_BYTES": tracefile.ACCESS_POINT_BYTES,
        "CUT_LIMIT": tracefile.CUT_LIMIT,
        "CUT_KEY": tracefile.CUT_KEY,
        "SIDECARS_DIR": tracefile.SIDECARS_DIR,
        "SKELETON_SUFFIX": tracefile.SKELETON_SUFFIX,
        "LOCATOR_SUFFIX": tracefile.LOCATOR_SUFFIX,
        "SUMMARY_SUFFIX": tracefile.SUMMARY_SUFFIX,
        "LOCATOR.size": tracefile.LOCATOR.size,
    }
    for name, value in expected.items():
        assert f"| `{name}` | {_value(value)} |" in table, name
