"""Trace files that are not what they should be (issue 12 items 3 and 4): symlinks out of the traces folder, random
bytes, empty files, a directory named like a trace, a symlink to a non-gzip file, a file corrupt after good data."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import pytest
from gateway_support import end, header, span, write_trace

T0 = "2026-01-01T00:00:00.000000Z"
SECRET = "outside-secret-title"


def _outside(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    target = outside / "other-0001.jsonl.gz"
    write_trace(target, header("other-0001", T0, title=SECRET), span(1, name=f"span-{SECRET}"), end())
    return target


def _rows(live) -> dict[str, dict]:
    got = live.client.get("/sessions")
    assert got.status_code == 200
    return {r["id"]: r for r in got.json()["sessions"]}


def _old(path: Path) -> None:
    past = time.time() - 60
    os.utime(path, (past, past), follow_symlinks=False)


def test_a_symlinked_trace_out_of_the_folder_is_not_read(live, tmp_path):
    traces = live.gateway.settings.traces_dir
    (traces / "linked-0001.jsonl.gz").symlink_to(_outside(tmp_path))
    rows = _rows(live)
    assert SECRET not in json.dumps(rows)
    row = rows["linked-0001"]
    assert row["status"] == "failed"
    assert "outside the traces folder" in row["file_error"]
    assert row["span_count"] == 0
    assert live.client.get("/search", params={"q": SECRET}).json()["hits"] == []
    got = live.client.get("/trace/linked-0001")
    assert got.status_code == 422
    assert SECRET not in got.text


def test_a_symlinked_rotated_part_out_of_the_folder_is_not_read(live, tmp_path):
    traces = live.gateway.settings.traces_dir
    write_trace(traces / "rotated-001.jsonl.gz", header("rotated-001", T0, title="mine"), span(1))
    (traces / "rotated-001.1.jsonl.gz").symlink_to(_outside(tmp_path))
    rows = _rows(live)
    assert SECRET not in json.dumps(rows)
    row = rows["rotated-001"]
    assert row["title"] == "mine"  # what could be read is still shown
    assert row["span_count"] == 1
    assert "rotated-001.1.jsonl.gz" in row["file_error"]
    assert live.client.get("/search", params={"q": SECRET}).json()["hits"] == []
    for fmt in ("raw", "otlp"):
        got = live.client.get("/trace/rotated-001", params={"format": fmt})
        assert SECRET not in got.content.decode("latin-1")


def test_a_symlink_inside_the_folder_still_works(live):
    traces = live.gateway.settings.traces_dir
    (traces / "real").mkdir()
    write_trace(traces / "real-000001.jsonl.gz", header("real-000001", T0), span(1), end())
    (traces / "alias-00001.jsonl.gz").symlink_to(traces / "real-000001.jsonl.gz")
    rows = _rows(live)
    assert rows["alias-00001"]["status"] == "completed"
    assert "file_error" not in rows["alias-00001"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("random", "not gzip"),
        ("empty", "empty"),
        ("directory", "not a regular file"),
        ("symlink_to_text", "not gzip"),
    ],
)
def test_a_broken_file_is_listed_with_what_is_wrong(live, tmp_path, kind, expected):
    traces = live.gateway.settings.traces_dir
    path = traces / "broken-0001.jsonl.gz"
    if kind == "random":
        path.write_bytes(os.urandom(4096).replace(b"\x1f\x8b", b"xx"))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "directory":
        path.mkdir()
    else:
        text = traces / "notes.txt"
        text.write_text("just some text, not a trace\n" * 10)
        path.symlink_to(text)
    if path.exists() and not path.is_dir():
        _old(path)
    row = _rows(live)["broken-0001"]
    assert row["status"] == "failed"
    assert expected in row["file_error"]
    assert row["file_error"] in row["error"]
    got = live.client.get("/trace/broken-0001")
    assert got.status_code == 422
    assert got.headers.get("content-encoding") is None
    assert got.json()["error"]["code"] == "broken_trace_file"
    assert expected in got.json()["error"]["message"]
    otlp = live.client.get("/trace/broken-0001", params={"format": "otlp"})
    assert otlp.status_code == 422
    assert otlp.json()["error"]["code"] == "broken_trace_file"


def test_an_empty_file_being_created_is_not_called_broken(live):
    (live.gateway.settings.traces_dir / "fresh-00001.jsonl.gz").write_bytes(b"")
    assert "file_error" not in _rows(live)["fresh-00001"]


def test_good_data_then_garbage_shows_the_good_part_and_the_error(live):
    traces = live.gateway.settings.traces_dir
    path = traces / "halfbad-001.jsonl.gz"
    lines = [header("halfbad-001", T0, title="half"), span(1), span(2)]
    good = gzip.compress(b"".join(json.dumps(r).encode() + b"\n" for r in lines))
    path.write_bytes(good + b"\x1f\x8b\x08\x00garbage-not-deflate" * 50)
    _old(path)
    row = _rows(live)["halfbad-001"]
    assert (row["title"], row["span_count"], row["status"]) == ("half", 2, "failed")
    assert "not gzip" in row["file_error"]
    got = live.client.get("/trace/halfbad-001")  # the readable lines, plainly: never the bad bytes as gzip
    assert got.status_code == 200
    assert got.headers.get("content-encoding") is None
    assert "not gzip" in got.headers["x-trace-error"]
    assert [json.loads(line)["type"] for line in got.text.splitlines()] == ["session", "span", "span"]
    assert live.client.get("/trace/halfbad-001", params={"format": "otlp"}).status_code == 422


def test_the_search_index_lists_no_link_out_of_the_folder(tmp_path):
    from inspector_sqlite_index._follow import list_trace_files

    traces = tmp_path / "traces"
    traces.mkdir()
    write_trace(traces / "inside-0001.jsonl.gz", header("inside-0001", T0), end())
    (traces / "alias-00001.jsonl.gz").symlink_to(traces / "inside-0001.jsonl.gz")
    (traces / "linked-0001.jsonl.gz").symlink_to(_outside(tmp_path))
    assert sorted(list_trace_files(traces)) == ["alias-00001.jsonl.gz", "inside-0001.jsonl.gz"]
