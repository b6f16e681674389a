"""The UI's copy of the skeleton rules (ui/src/trace/skeleton.ts) is the trace format's (inspector_hooks.tracefile):
the cut marker's key and the length past which a value is cut."""

from __future__ import annotations

import re
from pathlib import Path

from inspector_hooks import tracefile

SKELETON_TS = Path(__file__).parents[2] / "ui" / "src" / "trace" / "skeleton.ts"


def _const(name: str) -> str:
    match = re.search(rf"^export const {name} = (.+);$", SKELETON_TS.read_text(encoding="utf-8"), re.MULTILINE)
    assert match is not None, f"{name} is not in {SKELETON_TS}"
    return match.group(1)


def test_the_ui_cut_marker_is_the_formats() -> None:
    assert _const("CUT_KEY") == f'"{tracefile.CUT_KEY}"'
    assert int(_const("CUT_LIMIT")) == tracefile.CUT_LIMIT
