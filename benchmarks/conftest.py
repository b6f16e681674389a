"""Shared benchmark setup: the demo package in examples/ is importable as ``inspector_demo``, and the trace
generator of the tests (tests/trace_gen.py) as ``trace_gen``, and this folder's modules (``real_traces``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
for _path in (EXAMPLES, ROOT / "tests", ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
