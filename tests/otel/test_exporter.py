"""The trace file processor: SPEC §4 records, rotation, the open-file cap, storage errors and recovery."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider

import inspector_hooks
from inspector_hooks import context
from inspector_hooks.testing import capture_hook
from inspector_otel import TraceFileProcessor
from inspector_otel.testing import read_session, read_trace


def _make(provider: TracerProvider, directory: Path, **kwargs) -> TraceFileProcessor:
    processor = TraceFileProcessor(directory, **kwargs)
    provider.add_span_processor(processor.link())
    return processor


def test_session_file_layout(provider, traces_dir):
    processor = _make(provider, traces_dir)
    tracer = provider.get_tracer("t")
    processor.session_started("sess-000001", {"engine": "asyncio", "title": "Demo", "parent_session_id": None})
    with context.bind("sess-000001"), tracer.start_as_current_span("outer"):
        processor.force_flush()  # outer is still running: its span_start is written
        with tracer.start_as_current_span("inner"):
            pass  # inner starts and ends within one batch: only its span record
    processor.session_finished("sess-000001", "completed", None)
    processor.shutdown()
    records = read_trace(traces_dir / "sess-000001.jsonl.gz")
    assert [r["type"] for r in records] == ["session", "span_start", "span", "span", "session_end"]
    assert records[1]["name"] == "outer"
    header = records[0]
    assert header["id"] == "sess-000001"
    assert header["v"] == 2
    assert header["engine"] == "asyncio"
    assert header["title"] == "Demo"
    assert header["started_at"].endswith("Z")
    inner, outer = records[2], records[3]
    assert inner["name"] == "inner"
    assert outer["name"] == "outer"
    assert inner["parent_span_id"] == outer["span_id"]
    assert outer["parent_span_id"] is None
    assert len(outer["trace_id"]) == 32
    assert len(outer["span_id"]) == 16
    assert outer["attributes"]["session.id"] == "sess-000001"
    assert outer["status"] == {"code": "UNSET", "message": None}
    assert records[-1]["status"] == "completed"
    assert records[-1]["error"] is None


def test_span_without_session_uses_resource_then_fallback(traces_dir):
    from opentelemetry.sdk.resources import Resource

    tp = TracerProvider(resource=Resource.create({"session.id": "app-session-1"}))
    processor = _make(tp, traces_dir)
    with tp.get_tracer("t").start_as_current_span("app-level"):
        pass
    plain = TracerProvider()
    plain.add_span_processor(processor.link())
    with plain.get_tracer("t").start_as_current_span("orphan"):
        pass
    processor.shutdown()
    assert [r["name"] for r in read_session(traces_dir, "app-session-1") if r["type"] == "span"] == ["app-level"]
    fallback = read_session(traces_dir, processor.fallback_session_id)
    assert [r["name"] for r in fallback if r["type"] == "span"] == ["orphan"]
    assert fallback[0]["type"] == "session"
    assert fallback[-1]["type"] == "session_end"


def test_span_hooks_are_emitted(provider, traces_dir):
    processor = _make(provider, traces_dir)
    with (
        capture_hook("span_started") as started,
        capture_hook("span_ended") as ended,
        context.bind("hooks-0001"),
        provider.get_tracer("t").start_as_current_span("work"),
    ):
        pass
    processor.shutdown()
    assert started[0]["session_id"] == "hooks-0001"
    assert started[0]["span"]["name"] == "work"
    summary = ended[0]["span"]
    assert summary["status"] == "UNSET"
    assert summary["duration_ms"] >= 0
    assert summary["end_time"].endswith("Z")
    assert summary["span_id"] == started[0]["span"]["span_id"]
    assert "usage" not in summary


def test_llm_span_ended_carries_usage_for_live_totals(provider, traces_dir):
    """Issue 16: the sessions list sums tokens while a run goes, from span_ended of llm.generate spans."""
    processor = _make(provider, traces_dir)
    tracer = provider.get_tracer("t")
    with capture_hook("span_ended") as ended, context.bind("usage-0001"):
        with tracer.start_as_current_span("llm.generate") as span:
            span.set_attribute("gen_ai.request.model", "gpt-4o")
            span.set_attribute("gen_ai.response.model", "gpt-4o-2024-08-06")
            span.set_attribute("gen_ai.usage.input_tokens", 12)
            span.set_attribute("gen_ai.usage.output_tokens", 3)
        with tracer.start_as_current_span("other") as span:
            span.set_attribute("gen_ai.usage.input_tokens", 99)
    processor.shutdown()
    by_name = {call["span"]["name"]: call["span"] for call in ended}
    assert by_name["llm.generate"]["usage"] == {"model": "gpt-4o-2024-08-06", "input_tokens": 12, "output_tokens": 3}
    assert "usage" not in by_name["other"]


def test_rotation_joins_back(provider, traces_dir):
    processor = _make(provider, traces_dir, max_file_bytes=4096, compress_level=0)
    tracer = provider.get_tracer("t")
    with context.bind("rotate-01"):
        for i in range(60):
            with tracer.start_as_current_span(f"s{i}") as span:
                span.set_attribute("payload", "x" * 200)
            processor.force_flush()
    processor.shutdown()
    parts = sorted(p.name for p in traces_dir.iterdir())
    assert "rotate-01.jsonl.gz" in parts
    assert "rotate-01.1.jsonl.gz" in parts
    assert len(parts) > 3
    records = read_session(traces_dir, "rotate-01")
    assert [r["name"] for r in records if r["type"] == "span"] == [f"s{i}" for i in range(60)]
    assert sum(r["type"] == "session" for r in records) == 1
    assert records[0]["type"] == "session"


def _fds_in(directory: Path) -> int:
    """Open trace files in ``directory`` (the writer's lock in ``.writers`` is one more fd, not a trace file)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(directory)) and target.endswith(".jsonl.gz"):
                count += 1
        except OSError:
            pass
    return count


def test_open_files_are_capped(provider, traces_dir):
    processor = _make(provider, traces_dir)
    tracer = provider.get_tracer("t")
    sessions = [f"cap-{i:04d}" for i in range(70)]
    for round_ in range(2):
        for sid in sessions:
            with context.bind(sid), tracer.start_as_current_span(f"r{round_}"):
                pass
        processor.force_flush()
        assert _fds_in(traces_dir) <= 50
    processor.shutdown()
    assert _fds_in(traces_dir) == 0
    for sid in sessions:  # the second round of an evicted session went to its next part; both read back
        names = [r["name"] for r in read_session(traces_dir, sid) if r["type"] == "span"]
        assert names == ["r0", "r1"]


def test_unwritable_dir_reports_and_recovers(provider, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the traces dir should be")
    traces_dir = blocker / "traces"
    processor = _make(provider, traces_dir, retry_interval=0.05)
    tracer = provider.get_tracer("t")
    errors: list[dict] = []
    recovered: list[dict] = []

    def on_error(**kw):
        errors.append(kw)

    def on_recovered(**kw):
        recovered.append(kw)

    inspector_hooks.register("storage_error", on_error)
    inspector_hooks.register("storage_recovered", on_recovered)
    try:
        processor.session_started("disk-0001", {"engine": "asyncio", "title": "t"})
        with context.bind("disk-0001"):
            for i in range(5):
                with tracer.start_as_current_span(f"kept{i}"):
                    pass
        processor.force_flush()
        assert len(errors) == 1
        assert "disk-0001" in errors[0]["path"]
        assert isinstance(errors[0]["exc"], OSError)
        assert not recovered
        blocker.unlink()  # the disk is fixed
        with context.bind("disk-0001"), tracer.start_as_current_span("after"):
            pass
        processor.force_flush()
        assert len(recovered) == 1
    finally:
        inspector_hooks.unregister("storage_error", on_error)
        inspector_hooks.unregister("storage_recovered", on_recovered)
        processor.shutdown()
    records = read_session(traces_dir, "disk-0001")
    assert records[0]["type"] == "session"
    assert [r["name"] for r in records if r["type"] == "span"] == [f"kept{i}" for i in range(5)] + ["after"]


def test_user_exporters_still_receive_spans(installed, provider, memory):
    with provider.get_tracer("t").start_as_current_span("mine"):
        pass
    installed.force_flush()
    assert [s.name for s in memory.get_finished_spans()] == ["mine"]


def test_buffer_is_bounded_while_storage_fails(provider, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("not a directory")
    traces_dir = blocker / "traces"
    processor = _make(provider, traces_dir, retry_interval=0.05, max_buffer_bytes=4000)
    tracer = provider.get_tracer("t")
    processor.session_started("bounded-01", {"engine": "asyncio", "title": "t"})
    with context.bind("bounded-01"):
        for i in range(40):
            with tracer.start_as_current_span(f"s{i}") as span:
                span.set_attribute("pad", "p" * 100)
            processor.force_flush()  # one batch per span
    assert processor.writer.dropped > 0
    blocker.unlink()
    processor.shutdown()
    records = read_session(traces_dir, "bounded-01")
    assert records[0]["type"] == "session"  # the header is kept
    names = [r["name"] for r in records if r["type"] == "span"]
    assert names
    assert names[-1] == "s39"  # the newest are kept, the oldest dropped
    assert len(names) < 40


def test_read_trace_tolerates_a_torn_tail(provider, traces_dir):
    processor = _make(provider, traces_dir, compress_level=0)
    tracer = provider.get_tracer("t")
    with context.bind("torn-0001"):
        for i in range(200):
            with tracer.start_as_current_span(f"s{i}") as span:
                span.set_attribute("pad", "q" * 300)
    processor.force_flush()
    path = traces_dir / "torn-0001.jsonl.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20] + b"\xff" * 50)  # a torn, garbled end of a live file
    names = [r["name"] for r in read_trace(path) if r["type"] == "span"]
    assert len(names) > 150
    assert names == [f"s{i}" for i in range(len(names))]
    processor.shutdown()


def test_session_end_waits_for_spans_still_open(provider, traces_dir):
    """A span of a finished session that ends after the grace (mcp-agent ends a run's cancel wait late) still
    comes before the session_end record."""
    import time

    processor = _make(provider, traces_dir, end_grace=0.05)
    tracer = provider.get_tracer("t")
    processor.session_started("sess-late01", {"engine": "asyncio", "title": "Late"})
    with context.bind("sess-late01"):
        lingering = tracer.start_span("AsyncioExecutor.wait_for_signal")
        with tracer.start_as_current_span("workflow.run"):
            pass
    processor.session_finished("sess-late01", "completed", None)
    time.sleep(0.4)  # well past the grace: the end is held while "lingering" is open
    assert [r["type"] for r in read_session(traces_dir, "sess-late01")][-1] != "session_end"
    lingering.end()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        records = read_session(traces_dir, "sess-late01")
        if records and records[-1]["type"] == "session_end":
            break
        time.sleep(0.05)
    processor.shutdown()
    records = read_session(traces_dir, "sess-late01")
    assert [r["type"] for r in records][-1] == "session_end"
    assert [r["name"] for r in records if r["type"] == "span"] == ["workflow.run", "AsyncioExecutor.wait_for_signal"]
    assert sum(r["type"] == "session_end" for r in records) == 1


@pytest.mark.parametrize("level", [1, 6], ids=["isal-or-zlib-level-1", "zlib-level-6"])
def test_live_file_is_followed_and_finished_at_every_level(provider, traces_dir, level):
    """Each sync-flushed batch is readable while the file is open, whichever compressor wrote it (ISA-L or zlib)."""
    processor = _make(provider, traces_dir, compress_level=level)
    tracer = provider.get_tracer("t")
    path = traces_dir / "level-test1.jsonl.gz"
    seen: list[int] = []
    with context.bind("level-test1"):
        for i in range(3):
            with tracer.start_as_current_span(f"s{i}") as span:
                span.set_attribute("payload", "é" * 50 + str(i))
            processor.force_flush()
            live = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(path.read_bytes())
            seen.append(live.count(b'"type":"span"'))
    processor.shutdown()
    assert seen == [1, 2, 3]
    with gzip.open(path, "rt", encoding="utf-8") as f:  # finished: a complete gzip member with its trailer
        names = [json.loads(line)["name"] for line in f if '"type":"span"' in line]
    assert names == ["s0", "s1", "s2"]


def test_compressor_uses_isal_for_its_levels_and_zlib_above():
    from inspector_otel import _files

    fast, _, _ = _files.compressor(1)
    slow, _, _ = _files.compressor(6)
    assert type(slow).__module__ == "zlib"
    assert type(fast).__module__ == ("isal_zlib" if _files._FAST_ZLIB is not None else "zlib")


def test_span_without_session_is_started_when_a_child_brings_one(provider, traces_dir):
    """A span opened before any session (MCPApp.run's own) gets its span_start when a child starts in a session."""
    processor = _make(provider, traces_dir)
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("app.run"):
        with context.bind("adopted-01"), tracer.start_as_current_span("child"):
            pass
        processor.force_flush()
        running = read_session(traces_dir, "adopted-01")
        assert [(r["type"], r["name"]) for r in running[1:]] == [("span_start", "app.run"), ("span", "child")]
    processor.shutdown()
    records = read_session(traces_dir, "adopted-01")
    outer = [r for r in records if r["type"] == "span" and r["name"] == "app.run"]
    assert outer
    assert outer[0]["attributes"]["session.id"] == "adopted-01"


def test_without_isal_the_standard_zlib_writes_the_same_format(provider, traces_dir, monkeypatch):
    from inspector_otel import _files

    monkeypatch.setattr(_files, "_FAST_ZLIB", None)  # a platform without an isal wheel
    processor = _make(provider, traces_dir)
    with context.bind("no-isal-01"), provider.get_tracer("t").start_as_current_span("plain"):
        pass
    processor.shutdown()
    assert [r["name"] for r in read_session(traces_dir, "no-isal-01") if r["type"] == "span"] == ["plain"]


def test_work_starting_after_its_session_ended_goes_to_the_parent_session(provider, traces_dir):
    """An agent a run created, shut down by the app's cleanup after the run ended: not after the run's session_end."""
    processor = _make(provider, traces_dir, end_grace=0.0)
    tracer = provider.get_tracer("t")
    processor.session_started("app-000001", {"engine": "asyncio", "title": "app"})
    processor.session_started("run-000001", {"engine": "asyncio", "title": "run", "parent_session_id": "app-000001"})
    with context.bind("run-000001"):
        with tracer.start_as_current_span("run work"):
            pass
        processor.session_finished("run-000001", "completed", None)
        processor.force_flush()
        with tracer.start_as_current_span("Agent.shutdown"):  # still in the run's context, after its end
            pass
    processor.session_finished("app-000001", "completed", None)
    processor.shutdown()
    run = read_session(traces_dir, "run-000001")
    assert [(r["type"], r.get("name")) for r in run[1:]] == [("span", "run work"), ("session_end", None)]
    app = read_session(traces_dir, "app-000001")
    late = [r for r in app if r["type"] == "span"]
    assert [r["name"] for r in late] == ["Agent.shutdown"]
    assert late[0]["attributes"]["session.id"] == "app-000001"
    assert app[-1]["type"] == "session_end"


def test_span_lines_have_the_fields_of_the_format_in_its_order():
    import msgspec

    from inspector_hooks import tracefile
    from inspector_otel._jsonl import SpanLine

    assert ("type", *SpanLine.__struct_fields__) == tracefile.SPAN_FIELDS
    assert msgspec.structs.fields(SpanLine)
    assert SpanLine.__struct_config__.tag == tracefile.SPAN


def test_the_processors_collaborators_come_through_its_constructor(tmp_path: Path):
    from inspector_otel._session_book import SessionBook
    from inspector_otel._span_sessions import SpanSessions
    from inspector_otel._storage_hooks import StorageHooks

    book = SessionBook()
    spans = SpanSessions(book, "fallback-given")
    hooks_ = StorageHooks()
    processor = TraceFileProcessor(tmp_path, sessions=book, span_sessions=spans, storage_hooks=hooks_)
    try:
        assert (processor.sessions, processor.span_sessions, processor.storage_hooks) == (book, spans, hooks_)
        assert processor.fallback_session_id == "fallback-given"
        processor.session_started("child-00001", {"parent_session_id": "parent-0001"})
        processor.session_finished("child-00001", "completed", None)
        assert book.live("child-00001") == "parent-0001"  # the processor kept its sessions in the given book
    finally:
        processor.shutdown()
