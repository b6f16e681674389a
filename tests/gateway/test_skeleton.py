"""Trace format v2 through the gateway: the skeleton manifest and streams, spans on demand, and the sidecars'
rebuild (v1 files, missing, corrupt or behind sidecars). Traces come from the real exporter writer
(``benchmarks/real_traces.py``: mcp-agent-shaped spans with 1-5 KB attributes)."""

from __future__ import annotations

import gzip
import json
import os
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from gateway_support import Live, end, header, span, start_gateway, write_trace

from inspector_hooks import tracefile

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from real_traces import write_trace as write_real_trace

SID = "real-trace-0001"


def _full(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]


def _skeleton_lines(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in zlib.decompressobj(31).decompress(data).splitlines()]


def _no_loc(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "loc"}


@pytest.fixture(scope="module")
def real_20k(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("real")
    write_real_trace(folder, 20_000, session_id=SID)
    return folder


def test_skeleton_and_spans_on_demand_equal_a_full_parse(real_20k: Path):
    """Every span of a 20k trace: its skeleton line is the rule applied to its full record, and the record found
    through its locator (the gateway's lookup) is the full record."""
    part = tracefile.part_path(real_20k, SID, 0)
    full = _full(part)
    skel_path = tracefile.sidecar_path(real_20k, SID, 0, tracefile.SKELETON_SUFFIX)
    skeleton = _skeleton_lines(skel_path.read_bytes())
    assert len(skeleton) == len(full) > 20_000
    cut = 0
    for whole, line in zip(full, skeleton, strict=True):
        if whole["type"] != tracefile.SPAN:
            assert line == whole  # non-span records verbatim
            continue
        assert _no_loc(line) == _no_loc(dict(tracefile.skeleton_record(whole, (0, 0))))
        assert line["loc"][0] == 0
        cut += sum(isinstance(v, dict) and tracefile.CUT_KEY in v for v in line["attributes"].values())
    assert cut > 10_000  # prompts, responses, tool outputs, RPC envelopes are cut
    locators = tracefile.sidecar_path(real_20k, SID, 0, tracefile.LOCATOR_SUFFIX).read_bytes()
    assert tracefile.covered_size(locators) == part.stat().st_size
    by_id = {r["span_id"]: r for r in full if r["type"] == tracefile.SPAN}
    access_points = set()
    for span_id, whole in by_id.items():
        located = tracefile.find_locator(locators, span_id)
        assert located is not None
        access_point, is_start = located
        assert not is_start
        access_points.add(access_point)
        assert tracefile.read_record_at(part, access_point, span_id, tracefile.SPAN) == whole
    assert len(access_points) > 100  # records are found from many access points, not from the part's start
    # and the rebuild (a v1 part, or lost sidecars) gives the same skeleton, located at offset 0
    builder = tracefile.SkeletonBuilder(0)
    text, rebuilt_locators = builder.feed(part.read_bytes())
    rebuilt = [json.loads(line) for line in text.splitlines()]
    assert [_no_loc(r) for r in rebuilt] == [_no_loc(r) for r in skeleton]
    assert tracefile.find_locator(rebuilt_locators, next(iter(by_id))) == (0, False)


def test_endpoints_over_http(real_20k: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    live = start_gateway(real_20k)
    try:
        manifest = live.client.get(f"/trace/{SID}/skeleton")
        assert manifest.status_code == 200
        skel_path = tracefile.sidecar_path(real_20k, SID, 0, tracefile.SKELETON_SUFFIX)
        assert manifest.json()["format"] == 2
        [entry] = manifest.json()["parts"]
        assert entry["part"] == 0
        assert entry["size"] == skel_path.stat().st_size
        stream = live.client.get(f"/trace/{SID}/skeleton/0")
        assert stream.status_code == 200
        assert stream.headers["content-type"] == "application/gzip"
        assert "content-encoding" not in stream.headers
        assert stream.headers["etag"] == entry["etag"]
        assert stream.content == skel_path.read_bytes()
        tail = live.client.get(f"/trace/{SID}/skeleton/0", headers={"Range": "bytes=1000-"})
        assert tail.status_code == 206
        assert tail.content == stream.content[1000:]
        full = _full(tracefile.part_path(real_20k, SID, 0))
        spans = [r for r in full if r["type"] == tracefile.SPAN]
        for whole in spans[:: len(spans) // 50]:
            got = live.client.get(f"/trace/{SID}/span/{whole['span_id']}")
            assert got.status_code == 200
            assert got.json() == whole
        assert live.client.get(f"/trace/{SID}/span/{'f' * 16}").status_code == 404
        assert live.client.get(f"/trace/{SID}/span/ABCDEF0123456789").status_code == 400
        assert live.client.get(f"/trace/{SID}/span/12").status_code == 400
        assert live.client.get(f"/trace/{SID}/skeleton/1").status_code == 404
        assert live.client.get(f"/trace/{SID}/skeleton/x1").status_code == 400
        assert live.client.get(f"/trace/{SID}/skeleton/0", headers={"Range": "bytes=99999999-"}).status_code == 416
        assert live.client.get("/trace/no-such-session/skeleton").status_code == 404
        assert live.client.get("/trace/no-such-session/span/0000000000000001").status_code == 404
        assert live.gateway.skeletons.rebuilds == 0  # the writer's sidecars were current
    finally:
        live.close()


def test_a_v1_file_opens_with_a_skeleton_built_on_the_fly(live: Live, traces_dir: Path):
    long_text = "word " * 100
    write_trace(
        traces_dir / "old-session.jsonl.gz",
        header("old-session", "2026-01-01T00:00:00.000000Z"),
        span(1, prompt=long_text),
        span(2),
        end(),
    )
    manifest = live.client.get("/trace/old-session/skeleton").json()
    assert [p["part"] for p in manifest["parts"]] == [0]
    lines = _skeleton_lines(live.client.get("/trace/old-session/skeleton/0").content)
    assert [r["type"] for r in lines] == ["session", "span", "span", "session_end"]
    assert lines[1]["attributes"]["prompt"] == {"$cut": len(long_text)}  # a string: its UTF-8 length
    assert lines[1]["events"] == 0
    assert lines[1]["loc"] == [0, 0]
    got = live.client.get("/trace/old-session/span/0000000000000002")
    assert got.status_code == 200
    assert got.json()["attributes"]["prompt"] == long_text
    assert live.gateway.skeletons.rebuilds == 1
    live.client.get("/trace/old-session/skeleton")
    assert live.gateway.skeletons.rebuilds == 1  # rebuilt once, then current


def _age(path: Path, seconds: float = 60.0) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


@pytest.mark.parametrize("damage", ["missing", "corrupt", "behind", "link-out", "truncated-skeleton"])
def test_bad_sidecars_are_rebuilt_never_a_5xx(damage: str, live: Live, traces_dir: Path, tmp_path: Path):
    part = write_real_trace(traces_dir, 300, session_id="damaged-01")
    skel = tracefile.sidecar_path(traces_dir, "damaged-01", 0, tracefile.SKELETON_SUFFIX)
    loc = tracefile.sidecar_path(traces_dir, "damaged-01", 0, tracefile.LOCATOR_SUFFIX)
    good = _skeleton_lines(skel.read_bytes())
    if damage == "missing":
        skel.unlink()
        loc.unlink()
    elif damage == "corrupt":
        loc.write_bytes(b"not locators at all")
        skel.write_bytes(b"\x1f\x8bnot gzip")
    elif damage == "behind":  # a writer killed between its part and its sidecars: the part stopped growing
        loc.write_bytes(loc.read_bytes()[: -tracefile.LOCATOR.size * 3])
    elif damage == "link-out":
        outside = tmp_path / "elsewhere.skel.gz"
        outside.write_bytes(skel.read_bytes())
        skel.unlink()
        skel.symlink_to(outside)
    else:
        skel.write_bytes(skel.read_bytes()[:100])
        loc.write_bytes(loc.read_bytes()[:32])
    _age(part)
    manifest = live.client.get("/trace/damaged-01/skeleton")
    assert manifest.status_code == 200
    lines = _skeleton_lines(live.client.get("/trace/damaged-01/skeleton/0").content)
    assert [_no_loc(r) for r in lines] == [_no_loc(r) for r in good]
    assert live.gateway.skeletons.rebuilds == 1
    assert not skel.is_symlink()
    full = {r["span_id"]: r for r in _full(part) if r["type"] == tracefile.SPAN}
    some = sorted(full)[-1]
    got = live.client.get(f"/trace/damaged-01/span/{some}")
    assert got.status_code == 200
    assert got.json() == full[some]


def test_a_growing_file_read_by_ranges_ends_equal_to_the_whole(live: Live, traces_dir: Path):
    """A live v2 session (the exporter's writer) and a reader that follows its skeleton with ``Range: bytes=N-``:
    the pieces concatenate to the final skeleton stream, and decode to every record of the part."""
    from real_traces import span_fields_of

    from inspector_otel._writer import END, SESSION, SPAN
    from inspector_otel._writer import TraceWriter as Writer

    writer = Writer(traces_dir, max_bytes=1 << 40, max_open=4)
    writer.put(SESSION, "growing-01", {"title": "growing"})
    pieces: list[bytes] = []
    done = threading.Event()

    def follow() -> None:
        while True:
            finished = done.is_set()
            got = live.client.get("/trace/growing-01/skeleton/0", headers={"Range": f"bytes={sum(map(len, pieces))}-"})
            if got.status_code == 206:
                pieces.append(got.content)
            else:
                assert got.status_code in (404, 416), got.text  # not there yet / nothing new yet
            if finished:
                return
            time.sleep(0.01)

    reader = threading.Thread(target=follow)
    reader.start()
    skel = tracefile.sidecar_path(traces_dir, "growing-01", 0, tracefile.SKELETON_SUFFIX)

    def caught_up() -> None:
        # the reader has read what is written so far: a loaded machine cannot fold every growth into one read
        deadline = time.monotonic() + 30
        while sum(map(len, pieces)) < skel.stat().st_size:
            assert time.monotonic() < deadline, "the reader never caught up"
            time.sleep(0.01)

    for n, fields in enumerate(span_fields_of("growing-01", 3000)):
        writer.put(SPAN, "growing-01", fields)
        if n % 100 == 0:
            writer.flush(ends=False)
        if n % 600 == 0:
            caught_up()
    writer.put(END, "growing-01", tracefile.session_end_record("completed", None))
    writer.flush()
    writer.stop()
    done.set()
    reader.join()
    assert len(pieces) > 3
    assert b"".join(pieces) == skel.read_bytes()
    lines = _skeleton_lines(b"".join(pieces))
    full = _full(tracefile.part_path(traces_dir, "growing-01", 0))
    assert [_no_loc(r) for r in lines] == [_no_loc(dict(tracefile.skeleton_record(r, (0, 0)))) for r in full]
    assert live.gateway.skeletons.rebuilds == 0


def test_sidecar_paths_stay_inside_the_traces_folder(tmp_path: Path):
    folder = tmp_path / "traces"
    (folder / tracefile.SIDECARS_DIR).mkdir(parents=True)
    path = tracefile.sidecar_path(folder, "sess-000001", 3, tracefile.LOCATOR_SUFFIX)
    assert path == folder / ".sidecars" / "sess-000001.3.loc"
    assert {p.name for p in tracefile.sidecar_paths(folder, "sess-000001", 0)} == {
        "sess-000001.0.skel.gz",
        "sess-000001.0.loc",
        "sess-000001.0.sum.json",
    }
    assert tracefile.check_sidecar(folder, "sess-000001", 3, tracefile.LOCATOR_SUFFIX) is None  # not there
    path.write_bytes(b"")
    assert tracefile.check_sidecar(folder, "sess-000001", 3, tracefile.LOCATOR_SUFFIX) == path.resolve()
    path.unlink()
    outside = tmp_path / "outside.loc"
    outside.write_bytes(b"")
    path.symlink_to(outside)
    assert tracefile.check_sidecar(folder, "sess-000001", 3, tracefile.LOCATOR_SUFFIX) is None
    path.unlink()
    path.mkdir()
    assert tracefile.check_sidecar(folder, "sess-000001", 3, tracefile.LOCATOR_SUFFIX) is None
