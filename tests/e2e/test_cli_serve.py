"""``mcp-agent-inspector serve DIR`` (no agent process) opened in Chromium; its link keeps working after a restart."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "cli"))

from cli_support import Served, write_sessions  # noqa: E402

pytestmark = pytest.mark.e2e


@pytest.fixture
def traces(tmp_path: Path) -> Path:
    folder = tmp_path / "traces"
    write_sessions(folder).shutdown()
    return folder


@pytest.fixture
def served(traces: Path) -> Iterator[Served]:
    server = Served(traces)
    yield server
    if server.proc.poll() is None:
        server.stop()


def test_serve_shows_the_sessions_and_a_trace(served: Served, page: Any) -> None:
    page.goto(served.url)
    page.wait_for_selector("[data-testid=session-row]")
    ids = page.locator("[data-testid=session-row]").evaluate_all("els => els.map(e => e.dataset.sessionId)")
    assert {"run-parent1", "run-failed1"} <= set(ids)
    page.goto(served.url.split("?")[0] + "#/session/run-parent1")
    page.wait_for_selector("[data-testid=span-row]")
    assert page.locator("[data-testid=span-row]").count() == 2


def test_serve_stops_cleanly_on_sigterm(traces: Path) -> None:
    server = Served(traces)
    assert server.stop() == 0
    assert "Traceback" not in (
        server.proc.stderr.read() if server.proc.stderr and not server.proc.stderr.closed else ""
    )


def test_serve_refuses_a_missing_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "inspector_cli", "serve", str(tmp_path / "nope")], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "is not a directory" in result.stderr
