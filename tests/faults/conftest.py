"""Fixtures of the fault tests: a live gateway at a free port (the gateway tests' helpers), a log catcher."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "gateway"))
sys.path.insert(0, str(Path(__file__).parent))

from gateway_support import Live, start_gateway


@pytest.fixture
def traces_dir(tmp_path: Path) -> Path:
    path = tmp_path / "traces"
    path.mkdir()
    return path


@pytest.fixture
def live(traces_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(traces_dir)
    yield server
    server.close()


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, level: int = logging.WARNING) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level]


@pytest.fixture
def server_log() -> Iterator[Records]:
    """What uvicorn and the gateway log at WARNING and above while the test runs (uvicorn's loggers do not
    propagate to the root, so caplog would miss them)."""
    handler = Records()
    names = ("uvicorn", "uvicorn.error", "inspector_gateway")
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield handler
    for name in names:
        logging.getLogger(name).removeHandler(handler)
