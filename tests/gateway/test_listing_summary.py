"""GET /sessions without decompressing whole parts: a v2 part's summary (``tracefile.PartSummary``) gives the same
row as reading every line, finished or live (the bytes after the summary's access point are read raw)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from inspector_gateway.sessions import TraceDirectory
from inspector_hooks import tracefile

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from real_traces import span_fields_of, write_trace


def _rows(folder: Path) -> list[dict[str, Any]]:
    return sorted((s.row(), s.uses) for s in TraceDirectory(folder).sessions())  # type: ignore[return-value]


def _without_sidecars(folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(tracefile.SIDECARS_DIR))
    return copy


def _with_uses(session_id: str, spans: int):
    for n, fields in enumerate(span_fields_of(session_id, spans)):
        if n % 7 == 0:
            attributes = {**fields[9], "mcp.resource.uri": f"file:///doc-{n % 3}.md"}
            if n % 21 == 0:
                attributes["mcp.prompt.template_id"] = "summarize"
            fields = (*fields[:9], attributes, *fields[10:])
        yield fields


def test_a_finished_v2_part_is_listed_from_its_summary_alone(tmp_path: Path, monkeypatch):
    folder = tmp_path / "traces"
    write_trace(folder, 5000, session_id="summary-01")
    reads: list[int] = []
    original = tracefile.LineDecoder.feed

    def counting(self: tracefile.LineDecoder, chunk: bytes) -> list[bytes]:
        reads.append(len(chunk))
        return original(self, chunk)

    monkeypatch.setattr(tracefile.LineDecoder, "feed", counting)
    fast = _rows(folder)
    assert reads == []  # nothing of the part was decompressed
    assert fast[0][0]["span_count"] == 5000
    assert fast[0][0]["status"] == "completed"
    assert fast[0][0]["usage"]
    assert fast == _rows(_without_sidecars(folder, tmp_path))
    assert reads  # the other listing read the lines


def test_a_live_part_is_listed_from_its_summary_and_the_bytes_after_it(tmp_path: Path, monkeypatch):
    from inspector_otel import _sidecars
    from inspector_otel._writer import MARK, SESSION, SPAN, TraceWriter

    monkeypatch.setattr(_sidecars, "SUMMARY_EVERY_S", 3600.0)  # one summary (the first batch's) until the close

    folder = tmp_path / "traces"
    writer = TraceWriter(folder, max_bytes=1 << 40, max_open=4)
    try:
        writer.put(SESSION, "summary-02", {"title": "live"})
        for n, fields in enumerate(_with_uses("summary-02", 4000)):
            writer.put(SPAN, "summary-02", fields)
            if n == 2000:
                writer.put(MARK, "summary-02", tracefile.session_paused_record("human_input", "ok?"))
            if n % 500 == 0:
                writer.flush(ends=False)
        writer.flush(ends=False)
        summary = tracefile.read_summary(tracefile.sidecar_path(folder, "summary-02", 0, tracefile.SUMMARY_SUFFIX))
        size = tracefile.part_path(folder, "summary-02", 0).stat().st_size
        assert summary is not None
        assert 0 < summary["covers"] < size  # the listing must read on from an access point
        live = _rows(folder)
        assert live[0][0]["span_count"] == 4000
        assert live[0][1]["resource"]["file:///doc-0.md"]
        assert live == _rows(_without_sidecars(folder, tmp_path))
    finally:
        writer.stop()
    assert _rows(folder) == _rows(_without_sidecars(folder, tmp_path / "2"))


def test_a_bad_summary_is_ignored(tmp_path: Path):
    folder = tmp_path / "traces"
    write_trace(folder, 300, session_id="summary-03")
    path = tracefile.sidecar_path(folder, "summary-03", 0, tracefile.SUMMARY_SUFFIX)
    expected = _rows(_without_sidecars(folder, tmp_path))
    for bad in (
        b"{",
        b'{"v":2,"covers":-1}',
        b'{"v":2,"covers":99999999999,"span_count":1,"usage":{},"uses":{},"records":[]}',
    ):
        path.write_bytes(bad)
        assert _rows(folder) == expected


def test_a_corrupt_byte_after_the_summary_is_reported_where_it_is(tmp_path: Path, monkeypatch):
    from inspector_otel import _sidecars
    from inspector_otel._writer import SESSION, SPAN, TraceWriter

    monkeypatch.setattr(_sidecars, "SUMMARY_EVERY_S", 0.0)  # a summary after every batch of the first half
    folder = tmp_path / "traces"
    writer = TraceWriter(folder, max_bytes=1 << 40, max_open=4)
    writer.put(SESSION, "summary-04", {"title": "damaged"})
    for n, fields in enumerate(span_fields_of("summary-04", 2000)):
        writer.put(SPAN, "summary-04", fields)
        if n % 200 == 0:
            writer.flush(ends=False)
        if n == 1000:
            writer.flush(ends=False)
            monkeypatch.setattr(_sidecars, "SUMMARY_EVERY_S", 3600.0)  # then none until the close
    writer.flush(ends=False)
    path = tracefile.sidecar_path(folder, "summary-04", 0, tracefile.SUMMARY_SUFFIX)
    early = path.read_bytes()
    writer.stop()
    path.write_bytes(early)  # as if the writer had been killed before its close
    part = tracefile.part_path(folder, "summary-04", 0)
    covers = json.loads(early)["covers"]
    data = bytearray(part.read_bytes())
    at = len(data) * 3 // 4
    assert len(data) // 3 < covers < at
    data[at : at + 64] = b"\xff" * 64
    part.write_bytes(bytes(data))
    [session] = TraceDirectory(folder).sessions()
    assert session.file_error is not None
    offset = int(session.file_error.rsplit(" ", 1)[1])
    assert at - 70_000 <= offset <= at + 64  # where the damage is, not counted from the summary's access point
    assert offset > covers
