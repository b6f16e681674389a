"""A traces folder the gateway cannot write (a real read-only tmpfs): the skeleton of a v1 file is rebuilt in memory
and served, spans come on demand, nothing is written and no 5xx."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from gateway_support import end, header, span, start_gateway, write_trace
from storage_support import mount_tmpfs, remount, unmount

from inspector_hooks import tracefile


@pytest.fixture
def read_only_traces(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "ro"
    if not mount_tmpfs(where, "4m"):
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
    try:
        write_trace(
            where / "ro-session-1.jsonl.gz",
            header("ro-session-1", "2026-01-01T00:00:00.000000Z"),
            *(span(n, prompt="p" * 300) for n in range(50)),
            end(),
        )
        remount(where, "ro")
        yield where
    finally:
        unmount(where)


def test_a_read_only_folder_gets_its_skeleton_from_memory(read_only_traces: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    live = start_gateway(read_only_traces)
    try:
        manifest = live.client.get("/trace/ro-session-1/skeleton")
        assert manifest.status_code == 200
        [entry] = manifest.json()["parts"]
        stream = live.client.get("/trace/ro-session-1/skeleton/0")
        assert stream.status_code == 200
        assert len(stream.content) == entry["size"]
        lines = [json.loads(x) for x in zlib.decompressobj(31).decompress(stream.content).splitlines()]
        assert len(lines) == 52
        assert lines[1]["attributes"]["prompt"] == {tracefile.CUT_KEY: 300}
        tail = live.client.get("/trace/ro-session-1/skeleton/0", headers={"Range": "bytes=10-"})
        assert tail.status_code == 206
        assert tail.content == stream.content[10:]
        got = live.client.get("/trace/ro-session-1/span/0000000000000007")
        assert got.status_code == 200
        assert got.json()["attributes"]["prompt"] == "p" * 300
        live.client.get("/trace/ro-session-1/skeleton")
        assert live.gateway.skeletons.rebuilds == 1  # kept in memory, not rebuilt on every request
        assert not (read_only_traces / tracefile.SIDECARS_DIR).exists()
    finally:
        live.close()
