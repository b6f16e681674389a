"""Shared test setup: the demo package in examples/ is importable as ``inspector_demo``, and the helpers in tests/
(``killed_writer``), in tests/e2e (``page_support``), scripts/ (``gen_docs``) and benchmarks/
(``render_performance``) by their module names."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
for _path in (EXAMPLES, ROOT / "tests", ROOT / "tests" / "e2e", ROOT / "scripts", ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
