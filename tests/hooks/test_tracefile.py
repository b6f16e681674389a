"""inspector_hooks.tracefile: the one home of the trace-file format (names, parts, locks, records, reading/writing)."""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import zlib
from pathlib import Path

import pytest

from inspector_hooks import tracefile


@pytest.mark.parametrize("value", ["abcdef", "run-123456", "A_b-9" * 2, "x" * 128])
def test_valid_session_ids(value):
    assert tracefile.valid_session_id(value)


@pytest.mark.parametrize("value", ["abcde", "x" * 129, "abcdef\n", "abc def", "abc/def1", "../../etc", 123456, None])
def test_invalid_session_ids(value):
    assert not tracefile.valid_session_id(value)


def test_part_names_round_trip():
    assert tracefile.part_name("run-123456", 0) == "run-123456.jsonl.gz"
    assert tracefile.part_name("run-123456", 7) == "run-123456.7.jsonl.gz"
    for n in (0, 1, 12, 999999):
        assert tracefile.parse_part_name(tracefile.part_name("run-123456", n)) == ("run-123456", n)
    assert tracefile.part_path(Path("/t"), "run-123456", 2) == Path("/t/run-123456.2.jsonl.gz")


@pytest.mark.parametrize(
    "name",
    ["run-123456.0.jsonl.gz", "run-123456.01.jsonl.gz", "run-123456.jsonl", "short.jsonl.gz", "a b-123.jsonl.gz"],
)
def test_names_that_are_not_parts(name):
    assert tracefile.parse_part_name(name) is None


def test_trace_parts_are_every_part_in_order_across_a_gap(tmp_path):
    for n in (3, 0, 1, 12):
        tracefile.part_path(tmp_path, "run-123456", n).write_bytes(b"")
    (tmp_path / "run-123456-other.jsonl.gz").write_bytes(b"")  # another session sharing a prefix
    (tmp_path / "run-123456.01.jsonl.gz").write_bytes(b"")  # not a name a writer makes
    (tmp_path / "run-123456.4.jsonl.gz").mkdir()  # listed: the caller judges what it can read
    found = tracefile.trace_parts(tmp_path, "run-123456")
    assert [p.name for p in found] == [tracefile.part_name("run-123456", n) for n in (0, 1, 3, 4, 12)]
    assert tracefile.trace_parts(tmp_path / "missing", "run-123456") == []


def test_writer_names_and_liveness(tmp_path):
    name = tracefile.new_writer_name()
    assert tracefile.WRITER_NAME_RE.fullmatch(name)
    assert name.startswith(f"{os.getpid()}-")
    folder = tmp_path / tracefile.WRITERS_DIR
    folder.mkdir()
    assert tracefile.writer_gone(tmp_path, name)  # no file: gone
    fd = os.open(folder / name, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert not tracefile.writer_gone(tmp_path, name)  # held (flock locks belong to the open file)
        fcntl.flock(fd, fcntl.LOCK_UN)
        assert tracefile.writer_gone(tmp_path, name)  # free: its writer ended
    finally:
        os.close(fd)
    assert not tracefile.writer_gone(tmp_path, "../../etc/passwd")  # not a writer's name: never opened
    assert not tracefile.writer_gone(tmp_path, None)


def test_times_are_rfc3339_utc_with_microseconds():
    assert tracefile.utc_from_timestamp(0) == "1970-01-01T00:00:00.000000Z"
    now = tracefile.utc_now()
    assert len(now) == 27
    assert now.endswith("Z")
    assert now[10] == "T"


def test_records_have_their_type_first_and_the_format_version():
    header = tracefile.session_record(
        "run-123456", engine="asyncio", title="t", started_at="x", parent_session_id=None, resource={}, writer="w"
    )
    assert list(header)[:2] == ["type", "v"]
    assert header["v"] == tracefile.FORMAT_VERSION
    assert header["writer"] == "w"
    start = tracefile.span_start_record(
        trace_id="0" * 32, span_id="1" * 16, parent_span_id=None, name="n", kind="INTERNAL", start_time="x"
    )
    assert tuple(start) == tracefile.SPAN_START_FIELDS
    for record in (
        header,
        start,
        tracefile.session_paused_record("human_input", "why?", {"type": "string"}),
        tracefile.session_resumed_record("human_input"),
        tracefile.session_end_record("failed", "boom"),
    ):
        assert next(iter(record)) == "type"
        assert record["type"] in tracefile.RECORD_TYPES
    assert tracefile.session_end_record("completed", None, "at")["ended_at"] == "at"
    resumed = tracefile.session_resumed_record("elicitation", {"answer": "go"}, "accept")
    assert (resumed["answer"], resumed["action"]) == ({"answer": "go"}, "accept")
    assert tracefile.session_resumed_record("human_input")["answer"] is None


def test_write_then_read_across_members_and_parts(tmp_path):
    path = tracefile.part_path(tmp_path, "run-123456", 0)
    tracefile.append_records(path, [{"type": "session", "id": "run-123456"}, {"type": "span", "name": "a"}])
    tracefile.append_records(path, [{"type": "span", "name": "é", "bad": object()}])  # a second gzip member
    lines = list(tracefile.read_lines(path))
    assert lines[1].startswith(tracefile.SPAN_PREFIX)
    records = [tracefile.decode_record(line) for line in lines]
    assert [r.get("name") for r in records] == [None, "a", "é"]
    assert records[2]["bad"] == "<unserializable: object>"
    with pytest.raises(ValueError, match="JSON object"):
        tracefile.decode_record(b"[1, 2]")


def _live_member(text: bytes) -> bytes:
    """A gzip member sync-flushed but not finished: what a live (or killed) writer leaves."""
    c = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return c.compress(text) + c.flush(zlib.Z_SYNC_FLUSH)


def test_a_live_part_gives_its_complete_lines_only(tmp_path):
    path = tmp_path / "live-123456.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"n":1}\n') + _live_member(b'{"n":2}\n{"n":3'))
    assert [json.loads(x) for x in tracefile.read_lines(path)] == [{"n": 1}, {"n": 2}]


def test_fed_byte_by_byte_gives_the_same_lines():
    data = gzip.compress(b"a\nbb\n") + gzip.compress(b"\nccc\nd") + _live_member(b"\ne\nf")
    whole = tracefile.LineDecoder().feed(data)
    decoder = tracefile.LineDecoder()
    pieces = [line for i in range(len(data)) for line in decoder.feed(data[i : i + 1])]
    assert whole == pieces == [b"a", b"bb", b"", b"ccc", b"d", b"e"]


def test_a_corrupt_tail_keeps_the_lines_before_it(tmp_path):
    good = gzip.compress(b'{"n":1}\n{"n":2}\n')
    path = tmp_path / "torn-123456.jsonl.gz"
    path.write_bytes(good + b"\x1f\x8b\x08\x00garbage that is not deflate" + gzip.compress(b'{"n":3}\n'))
    assert [json.loads(x) for x in tracefile.read_lines(path)] == [{"n": 1}, {"n": 2}]
    decoder = tracefile.LineDecoder()
    decoder.feed(path.read_bytes())
    assert decoder.broken
    assert len(good) <= decoder.error_offset < len(good) + 256
    assert decoder.feed(good) == []
