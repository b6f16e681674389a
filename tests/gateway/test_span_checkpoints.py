"""Spans of parts the gateway rebuilt (v1 files, lost sidecars) are read from checkpoints near them, and equal a
full parse; one part's rebuild does not hold up other sessions (per-part locks). Traces come from the real
exporter writer (benchmarks/real_traces.py)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_support import Live, header, span, write_trace

from inspector_gateway.sessions import _skeletons
from inspector_gateway.sessions._spans import find_spans
from inspector_hooks import tracefile

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from real_traces import write_trace as write_real_trace

SID = "real-trace-0001"


def _spans(path: Path) -> dict[str, dict[str, Any]]:
    """The latest record of every span of a part, by a full parse."""
    out: dict[str, dict[str, Any]] = {}
    for line in gzip.decompress(path.read_bytes()).splitlines():
        record = json.loads(line)
        if record["type"] in (tracefile.SPAN, tracefile.SPAN_START):
            out[record["span_id"]] = record
    return out


@pytest.fixture(scope="module")
def v1_8k(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("v1")
    write_real_trace(folder, 8_000, session_id=SID, sidecars=False)
    return folder


def _copy(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "traces"
    shutil.copytree(folder, target)
    return target


def _no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a span from the part's start (the lookup without checkpoints) fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"read from the part's start: {args}")

    monkeypatch.setattr(tracefile, "read_record_at", refuse)


def _check_all(skeletons: _skeletons.Skeletons, folder: Path) -> None:
    part = tracefile.part_path(folder, SID, 0)
    whole = _spans(part)
    assert len(whole) >= 8_000
    ids = list(whole)
    parts = [(0, part)]
    found: dict[str, dict[str, Any]] = {}
    for at in range(0, len(ids), 256):
        found.update(find_spans(skeletons, SID, parts, ids[at : at + 256]))
    assert found == whole
    for span_id in ids[:: len(ids) // 40]:  # one at a time too
        assert find_spans(skeletons, SID, parts, [span_id]) == {span_id: whole[span_id]}


def test_a_v1_part_is_read_from_checkpoints(v1_8k: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = _copy(v1_8k, tmp_path)
    before = {p: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    skeletons = _skeletons.Skeletons(folder)
    view = skeletons.view(SID, 0, tracefile.part_path(folder, SID, 0))
    assert view is not None
    assert skeletons.rebuilds == 1
    index = skeletons.index(view)
    assert index is not None
    assert len(index.decoders) >= 8
    _no_fallback(monkeypatch)
    _check_all(skeletons, folder)
    assert skeletons.scans == 0  # the rebuild's checkpoints served
    assert {p: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before  # the part is never written


def test_a_v2_part_with_deleted_sidecars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "traces"
    folder.mkdir()
    write_real_trace(folder, 8_000, session_id=SID)
    for path in tracefile.sidecar_paths(folder, SID, 0):
        path.unlink()
    skeletons = _skeletons.Skeletons(folder)
    _no_fallback(monkeypatch)
    _check_all(skeletons, folder)
    assert skeletons.rebuilds == 1


def test_rebuilt_sidecars_found_after_a_restart_are_scanned_once(
    v1_8k: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = _copy(v1_8k, tmp_path)
    part = tracefile.part_path(folder, SID, 0)
    assert _skeletons.Skeletons(folder).view(SID, 0, part) is not None  # a former gateway rebuilt them
    skeletons = _skeletons.Skeletons(folder)
    _no_fallback(monkeypatch)
    _check_all(skeletons, folder)
    assert (skeletons.rebuilds, skeletons.scans) == (0, 1)


def test_rebuilt_in_memory_when_the_folder_cannot_be_written(
    v1_8k: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = _copy(v1_8k, tmp_path)

    def cannot(path: Path, data: bytes) -> None:
        raise PermissionError(path)

    monkeypatch.setattr(_skeletons, "_replace", cannot)
    skeletons = _skeletons.Skeletons(folder)
    _no_fallback(monkeypatch)
    _check_all(skeletons, folder)
    assert skeletons.rebuilds == 1
    assert skeletons.scans == 0
    assert not (folder / tracefile.SIDECARS_DIR).exists() or not any((folder / tracefile.SIDECARS_DIR).iterdir())


def test_multi_member_v1_part_and_a_grown_part(tmp_path: Path):
    """An append-mode v1 writer's part (a gzip member per run) that keeps growing: checkpoints across members,
    extended with the part; incompressible attributes so the part is several checkpoints long."""
    folder = tmp_path / "traces"
    folder.mkdir()
    part = tracefile.part_path(folder, "multi-0001", 0)
    records: list[dict[str, Any]] = [header("multi-0001", "2026-01-01T00:00:00.000000Z")]
    n = 0

    def member(count: int) -> None:
        nonlocal n
        lines = []
        for _ in range(count):
            n += 1
            lines.append(span(n, blob=os.urandom(3000).hex()))
        records.extend(lines)
        with open(part, "ab") as fh:
            fh.write(gzip.compress(b"".join(tracefile.encode_record(r) for r in lines), 1))

    write_trace(part, records[0])
    for _ in range(4):
        member(150)
    skeletons = _skeletons.Skeletons(folder)
    view = skeletons.view("multi-0001", 0, part)
    assert view is not None
    os.utime(part, (1, 1))  # quiet: not a live writer a batch ahead
    for _ in range(3):
        member(150)
    whole = {r["span_id"]: r for r in records if r.get("type") == tracefile.SPAN}
    got = find_spans(skeletons, "multi-0001", [(0, part)], list(whole))
    assert got == whole
    index = skeletons.index(skeletons.view("multi-0001", 0, part))  # type: ignore[arg-type]
    assert index is not None
    assert index.covered == part.stat().st_size
    assert len(index.decoders) >= 6


def test_a_rebuild_does_not_hold_up_other_sessions(
    live: Live, traces_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one part is being rebuilt (held inside its rebuild here), /sessions, another session's skeleton and
    spans answer; the held one answers once released."""
    write_trace(traces_dir / "slow-session.jsonl.gz", header("slow-session", "2026-01-01T00:00:00.000000Z"), span(1))
    write_trace(traces_dir / "other-session.jsonl.gz", header("other-session", "2026-01-01T00:00:00.000000Z"), span(2))
    assert live.client.get("/sessions").status_code == 200
    inside, release = threading.Event(), threading.Event()
    feed = tracefile.SkeletonBuilder.feed

    def slow_feed(self: tracefile.SkeletonBuilder, chunk: bytes) -> tuple[bytes, bytes]:
        if b"slow-session" in gzip.decompress(chunk):
            inside.set()
            release.wait(90)
        return feed(self, chunk)

    monkeypatch.setattr(tracefile.SkeletonBuilder, "feed", slow_feed)
    held: dict[str, int] = {}
    thread = threading.Thread(
        target=lambda: held.setdefault(
            "status",
            httpx.get(f"{live.base}/trace/slow-session/skeleton", headers=live.headers, timeout=120).status_code,
        )
    )
    thread.start()
    try:
        assert inside.wait(30)
        quick = live.client  # a global lock would keep these waiting until the release (90 s)
        assert quick.get("/sessions", timeout=20).status_code == 200
        assert quick.get("/trace/other-session/skeleton", timeout=20).status_code == 200
        assert quick.get("/trace/other-session/span/0000000000000003", timeout=20).status_code == 200
        got = quick.get("/trace/other-session/spans", params={"ids": "0000000000000003"}, timeout=20)
        assert got.json()["spans"]["0000000000000003"]["name"] == "tool.call"
        assert "status" not in held
    finally:
        release.set()
        thread.join(60)
    assert held == {"status": 200}
