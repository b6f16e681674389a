"""Fixtures of the gateway tests: a live gateway on uvicorn at a free 127.0.0.1 port."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gateway_support import Live, start_gateway


@pytest.fixture(autouse=True, scope="module")
def _no_leaked_subscribers():
    """Every test must leave the hook bus as it found it (a leaked gateway subscriber would leak into other tests)."""
    import inspector_hooks

    names = ("session_started", "session_paused", "span_ended", "after_llm_generate")
    before = {name: inspector_hooks.subscribers(name) for name in names}
    yield
    assert {name: inspector_hooks.subscribers(name) for name in names} == before


@pytest.fixture
def traces_dir(tmp_path: Path) -> Path:
    path = tmp_path / "traces"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Iterator[Live]:
    """One gateway for a whole module, for tests that only read (requests refused by the security checks)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(tmp_path_factory.mktemp("shared-traces"))
    yield server
    server.close()
    mp.undo()


@pytest.fixture
def live(traces_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    server = start_gateway(traces_dir)
    yield server
    server.close()
