"""Disk full and a read-only traces folder, on a real small filesystem (tmpfs with size=): /sessions carries the
storage state for as long as it lasts (issue 12 item 5), and every span kept in the buffer is written once the disk
is writable again."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gateway_support import emit, start_gateway
from storage_support import fill, mount_tmpfs, remount, unmount

from inspector_hooks import context
from inspector_otel import TraceFileProcessor
from inspector_otel.testing import read_session


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "small"
    if not mount_tmpfs(where, "256k"):
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); test_unwritable_folder covers ENOTDIR")
    try:
        yield where
    finally:
        unmount(where)


@pytest.fixture
def stack(small_fs: Path, monkeypatch: pytest.MonkeyPatch):
    """The gateway and the real exporter on one traces folder on the small filesystem."""
    from opentelemetry.sdk.trace import TracerProvider

    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    traces = small_fs / "traces"
    traces.mkdir()
    live = start_gateway(traces)
    live.gateway.live.subscribe()
    provider = TracerProvider()
    processor = TraceFileProcessor(traces, retry_interval=0.05)
    provider.add_span_processor(processor.link())
    yield live, provider.get_tracer("faults"), processor, traces
    processor.shutdown()
    provider.shutdown()
    live.gateway.live.unsubscribe()
    live.close()


def _spans(tracer, processor, sid: str, names: list[str]) -> None:
    with context.bind(sid):
        for name in names:
            with tracer.start_as_current_span(name) as span:
                span.set_attribute("pad", os.urandom(300).hex())  # incompressible: crosses tmpfs pages
    processor.force_flush()


def _storage(live) -> dict:
    return live.client.get("/sessions").json()["storage"]


def _wait_for(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_disk_full_is_told_until_it_is_freed_and_no_kept_span_is_lost(stack):
    live, tracer, processor, traces = stack
    assert _storage(live) == {"state": "ok"}
    processor.session_started("full-00001", {"engine": "asyncio", "title": "full disk"})
    _spans(tracer, processor, "full-00001", ["before"])
    filler = fill(traces.parent)
    _spans(tracer, processor, "full-00001", [f"during{i}" for i in range(20)])
    state = _storage(live)
    assert state["state"] == "failing"
    assert "No space left" in state["message"]
    assert state["path"].endswith("full-00001.jsonl.gz")
    for i in range(1100):  # the StorageError event leaves the 1,000-event ring; the state does not
        emit("span_started", session_id="other-0001", span={"i": i})
    assert _storage(live)["state"] == "failing"
    filler.unlink()
    _spans(tracer, processor, "full-00001", ["after"])
    assert _wait_for(lambda: _storage(live) == {"state": "ok"})
    processor.shutdown()
    names = [r["name"] for r in read_session(traces, "full-00001") if r["type"] == "span"]
    assert names == ["before", *[f"during{i}" for i in range(20)], "after"]


def test_read_only_folder_is_told_until_it_is_writable(stack):
    live, tracer, processor, traces = stack
    remount(traces.parent, "ro")  # before the writer opens anything (a mount with files open to write stays rw)
    try:
        processor.session_started("ro-0000001", {"engine": "asyncio", "title": "read-only"})
        _spans(tracer, processor, "ro-0000001", ["during"])
        state = _storage(live)
        assert state["state"] == "failing"
        assert "Read-only" in state["message"]
    finally:
        remount(traces.parent, "rw")
    _spans(tracer, processor, "ro-0000001", ["after"])
    assert _wait_for(lambda: _storage(live) == {"state": "ok"})
    processor.shutdown()
    assert [r["name"] for r in read_session(traces, "ro-0000001") if r["type"] == "span"] == ["during", "after"]


def test_unwritable_folder(tmp_path, monkeypatch):
    """Where no filesystem can be mounted too: a file where the traces folder should be (ENOTDIR), as root as well."""
    from opentelemetry.sdk.trace import TracerProvider

    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the traces folder should be")
    traces = blocker / "traces"
    live = start_gateway(tmp_path)
    live.gateway.live.subscribe()
    provider = TracerProvider()
    processor = TraceFileProcessor(traces, retry_interval=0.05)
    provider.add_span_processor(processor.link())
    try:
        processor.session_started("nodir-0001", {"engine": "asyncio", "title": "t"})
        _spans(provider.get_tracer("t"), processor, "nodir-0001", ["kept"])
        assert _storage(live)["state"] == "failing"
        assert "Not a directory" in _storage(live)["message"]
        blocker.unlink()
        _spans(provider.get_tracer("t"), processor, "nodir-0001", ["after"])
        assert _wait_for(lambda: _storage(live) == {"state": "ok"})
    finally:
        processor.shutdown()
        provider.shutdown()
        live.gateway.live.unsubscribe()
        live.close()
    assert [r["name"] for r in read_session(traces, "nodir-0001") if r["type"] == "span"] == ["kept", "after"]
