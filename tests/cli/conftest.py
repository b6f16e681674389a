"""Fixtures of the command-line tests: trace files written by the real exporter."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from cli_support import write_sessions


@pytest.fixture
def traces(tmp_path: Path) -> Path:
    folder = tmp_path / "traces"
    processor = write_sessions(folder)
    processor.shutdown()
    return folder
