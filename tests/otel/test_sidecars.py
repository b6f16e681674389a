"""The exporter's v2 sidecars never cost trace data: a sidecar that cannot be written is dropped (and rebuilt by the
gateway later), the part is written in full, nothing reaches the host; the next-part map is trimmed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from inspector_hooks import tracefile
from inspector_otel import _files, _sidecars
from inspector_otel._files import TraceFiles
from inspector_otel._writer import END, SESSION, SPAN, TraceWriter

_T0 = 1_767_225_600_000_000_000


def _fields(n: int) -> tuple[Any, ...]:
    attributes = {"mcp.tool.output_json": "x" * 500, "n": n}
    return (1, n + 1, None, "tool.call", "INTERNAL", _T0 + n, _T0 + n + 9, "OK", None, attributes, [], [])


def _write(folder: Path, spans: int) -> Path:
    writer = TraceWriter(folder, max_bytes=1 << 40, max_open=4)
    writer.put(SESSION, "side-00001", {"title": "sidecars"})
    for n in range(spans):
        writer.put(SPAN, "side-00001", _fields(n))
        if n % 50 == 0:
            writer.flush(ends=False)
    writer.put(END, "side-00001", tracefile.session_end_record("completed", None))
    writer.flush()
    writer.stop()
    return tracefile.part_path(folder, "side-00001", 0)


def _records(part: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in gzip.decompress(part.read_bytes()).splitlines()]


def test_a_failing_sidecar_is_dropped_and_the_trace_is_whole(tmp_path: Path, monkeypatch, caplog):
    calls = {"n": 0}
    real = _sidecars.Sidecars.write

    def failing(self: _sidecars.Sidecars, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real(self, *args)

    monkeypatch.setattr(_sidecars.Sidecars, "write", failing)
    records = _records(_write(tmp_path, 400))
    assert [r["attributes"]["n"] for r in records if r["type"] == "span"] == list(range(400))
    assert records[-1]["type"] == "session_end"
    assert calls["n"] == 3  # no sidecar write was tried for this part after the failure
    for suffix in tracefile.SIDECAR_SUFFIXES:
        assert not tracefile.sidecar_path(tmp_path, "side-00001", 0, suffix).exists()
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_no_sidecars_folder_costs_nothing(tmp_path: Path):
    (tmp_path / tracefile.SIDECARS_DIR).write_text("a file where the sidecars folder should be")
    records = _records(_write(tmp_path, 100))
    assert sum(r["type"] == "span" for r in records) == 100


def test_current_sidecars_cover_the_part(tmp_path: Path):
    part = _write(tmp_path, 3000)  # > 1 MB of text: access points inside batches too
    locators = tracefile.sidecar_path(tmp_path, "side-00001", 0, tracefile.LOCATOR_SUFFIX).read_bytes()
    assert tracefile.covered_size(locators) == part.stat().st_size
    found = {n: tracefile.find_locator(locators, f"{n + 1:016x}") for n in range(3000)}
    assert len({f[0] for f in found.values() if f is not None}) > 4
    for n in (0, 1499, 2999):
        located = found[n]
        assert located is not None
        record = tracefile.read_record_at(part, located[0], f"{n + 1:016x}", tracefile.SPAN)
        assert record is not None
        assert record["attributes"]["n"] == n


def test_the_next_part_map_is_trimmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_files, "MAX_REMEMBERED", 10)
    files = TraceFiles(tmp_path, max_open=2)
    for n in range(40):
        files.write(f"sess-{n:06d}", b'{"type":"x"}\n')
    assert len(files._next_part) <= 10 + files.max_open
    files.forget("sess-000039")
    assert "sess-000039" not in files._next_part
    files.write("sess-000000", b'{"type":"y"}\n')  # forgotten: its next free number is found by listing
    files.close_all()
    assert [p.name for p in tracefile.trace_parts(tmp_path, "sess-000000")] == [
        "sess-000000.jsonl.gz",
        "sess-000000.1.jsonl.gz",
    ]


def test_a_batchs_locators_are_written_before_its_skeleton(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # a reader that sees a span in the skeleton must find its whole record through the locators at once
    order: list[str] = []
    real_init = _sidecars.Sidecars.__init__

    class Recording:
        def __init__(self, fh: Any, name: str) -> None:
            self.fh, self.name = fh, name

        def write(self, data: bytes) -> int:
            order.append(self.name)
            return int(self.fh.write(data))

        def __getattr__(self, attr: str) -> Any:
            return getattr(self.fh, attr)

    def recording_init(self: _sidecars.Sidecars, *args: Any) -> None:
        real_init(self, *args)
        self.skel, self.loc = Recording(self.skel, "skeleton"), Recording(self.loc, "locators")

    monkeypatch.setattr(_sidecars.Sidecars, "__init__", recording_init)
    _write(tmp_path, 120)
    batches = order[:-2]  # the close writes the skeleton's trailer, then the last covered entry
    assert len(batches) >= 4
    assert batches == ["locators", "skeleton"] * (len(batches) // 2)
