"""Several processes write one session (a Temporal workflow execution: its client and its workers): each writer's
records go to parts of its own, created exclusively, and a writer with nothing to add leaves no file behind."""

from __future__ import annotations

import gzip

from inspector_otel._files import TraceFiles


def test_writers_of_one_session_never_share_a_part(tmp_path):
    first, second = TraceFiles(tmp_path), TraceFiles(tmp_path)
    assert first.is_new("shared-session-1")
    first.write("shared-session-1", b'{"type":"session"}\n')
    assert not second.is_new("shared-session-1")
    assert sorted(p.name for p in tmp_path.glob("*.jsonl.gz")) == [
        "shared-session-1.jsonl.gz"
    ]  # no empty part of its own
    second.write("shared-session-1", b'{"type":"span","n":2}\n')
    first.write("shared-session-1", b'{"type":"span","n":1}\n')
    first.close_all()
    second.close_all()
    parts = sorted(p.name for p in tmp_path.glob("*.jsonl.gz"))
    assert parts == ["shared-session-1.1.jsonl.gz", "shared-session-1.jsonl.gz"]
    assert gzip.decompress((tmp_path / parts[1]).read_bytes()) == b'{"type":"session"}\n{"type":"span","n":1}\n'
    assert gzip.decompress((tmp_path / parts[0]).read_bytes()) == b'{"type":"span","n":2}\n'


def test_a_taken_part_number_moves_the_writer_on(tmp_path):
    first, second = TraceFiles(tmp_path), TraceFiles(tmp_path)
    first.write("shared-session-2", b"a\n")
    second.write("shared-session-2", b"b\n")  # part 1
    first.close("shared-session-2")
    first.write("shared-session-2", b"c\n")  # its next number, 1, is taken: part 2
    first.close_all()
    second.close_all()
    names = sorted(p.name for p in tmp_path.glob("*.jsonl.gz"))
    assert names == ["shared-session-2.1.jsonl.gz", "shared-session-2.2.jsonl.gz", "shared-session-2.jsonl.gz"]
    assert gzip.decompress((tmp_path / "shared-session-2.2.jsonl.gz").read_bytes()) == b"c\n"


def test_the_parent_known_to_a_later_writer_is_kept(tmp_path):
    """A Temporal worker often makes part 0 first (its header knows no parent); the client, which started the run
    from a parent session, still writes a header with that parent in a part of its own, and the listing merges it."""
    from inspector_gateway.sessions import TraceDirectory
    from inspector_otel._writer import SESSION, TraceWriter

    worker = TraceWriter(tmp_path, max_bytes=1 << 40, max_open=4)
    client = TraceWriter(tmp_path, max_bytes=1 << 40, max_open=4)
    try:
        worker.put(SESSION, "wf-run-1", {"engine": "temporal", "title": "Wf"})
        assert worker.flush(ends=False)
        client.put(SESSION, "wf-run-1", {"engine": "temporal", "title": "Wf", "parent_session_id": "app-session-1"})
        assert client.flush(ends=False)
        worker.put(SESSION, "wf-run-2", {"engine": "temporal", "title": "Wf"})  # no parent known: no extra part
        assert worker.flush(ends=False)
        client.put(SESSION, "wf-run-2", {"engine": "temporal", "title": "Wf"})
        assert client.flush(ends=False)
    finally:
        worker.stop()
        client.stop()
    rows = {s.id: s for s in TraceDirectory(tmp_path).sessions()}
    assert rows["wf-run-1"].parent_session_id == "app-session-1"
    assert rows["wf-run-2"].parent_session_id is None
    assert sorted(p.name for p in tmp_path.glob("wf-run-2*.jsonl.gz")) == ["wf-run-2.jsonl.gz"]
