"""The index on small real trace files: ranking, readable snippets, following growing files, restarts, deleted and
rewritten files, a damaged database rebuilt, and GET /search through the gateway with the plugin."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest
from gateway_support import TraceWriter, end, header, span, start_gateway, write_trace
from search_support import wait_indexed

import inspector_sqlite_index.plugin
from inspector_gateway import SearchQuery
from inspector_sqlite_index import INDEX_NAME, SqliteSearchIndex

T0 = "2026-01-01T00:00:00.000000Z"


@pytest.fixture
def index(traces_dir):
    idx = SqliteSearchIndex(traces_dir, poll=0.1)
    yield idx
    idx.close()


@pytest.fixture
def traces_dir(tmp_path):
    path = tmp_path / "traces"
    path.mkdir()
    return path


def tool_span(n, text, name="tool.call"):
    output = json.dumps({"content": [{"type": "text", "text": text}], "isError": False})
    return span(n, name, **{"mcp.tool.output_json": output})


def sid(n):
    """The span id of ``span(n)`` (gateway_support)."""
    return "%016x" % (n + 1)


async def ids(index, text, **kw):
    page = await index.search(SearchQuery(text, **kw))
    return [h["span_id"] for h in page["hits"]]


async def test_bm25_ranks_name_and_frequency(index, traces_dir):
    write_trace(
        traces_dir / "rank-0001.jsonl.gz",
        header("rank-0001", T0),
        tool_span(1, "a long text that mentions otter once among many other words " * 5),
        tool_span(2, "otter otter otter"),
        tool_span(3, "nothing here", name="otter.lookup"),
        tool_span(4, "no match"),
    )
    index.start()
    wait_indexed(index)
    assert await ids(index, "otter") == [sid(3), sid(2), sid(1)]


async def test_snippets_are_readable_text_with_the_match_marked(index, traces_dir):
    write_trace(
        traces_dir / "snip-0001.jsonl.gz",
        header("snip-0001", T0),
        tool_span(1, 'The weather in "Paris" is\n21 C and sunny'),
    )
    index.start()
    wait_indexed(index)
    page = await index.search(SearchQuery("paris"))
    hit = page["hits"][0]
    assert hit["field"] == "mcp.tool.output_json"
    assert hit["snippet"] == 'text The weather in "Paris" is 21 C and sunny'
    start, end_ = hit["highlights"][0]
    assert hit["snippet"][start:end_] == "Paris"


async def test_follows_a_growing_file_and_resumes_after_a_restart_without_duplicates(traces_dir):
    writer = TraceWriter(traces_dir / "grow-0001.jsonl.gz")
    writer.write(header("grow-0001", T0), tool_span(1, "first walrus"))
    index = SqliteSearchIndex(traces_dir, poll=0.1)
    index.start()
    wait_indexed(index)
    assert await ids(index, "walrus") == [sid(1)]
    writer.write(tool_span(2, "second walrus"))
    wait_indexed(index)
    assert sorted(await ids(index, "walrus")) == [sid(1), sid(2)]
    index.close()
    writer.write(tool_span(3, "third walrus"))  # written while no indexer runs
    writer.write(end())
    writer.close()
    again = SqliteSearchIndex(traces_dir, poll=0.1)
    again.start()
    try:
        wait_indexed(again)
        page = await again.search(SearchQuery("walrus"))
        assert page["total"] == 3  # the first two were not indexed twice
        assert again.indexer.progress.spans == 3
    finally:
        again.close()


async def test_deleted_and_rewritten_files(index, traces_dir):
    write_trace(traces_dir / "gone-0001.jsonl.gz", header("gone-0001", T0), tool_span(1, "narwhal"))
    write_trace(traces_dir / "redo-0001.jsonl.gz", header("redo-0001", T0), tool_span(1, "narwhal"))
    index.start()
    wait_indexed(index)
    assert (await index.search(SearchQuery("narwhal")))["total"] == 2
    (traces_dir / "gone-0001.jsonl.gz").unlink()
    tmp = traces_dir / "tmp.partial"
    write_trace(tmp, header("redo-0001", T0), tool_span(1, "manatee"))
    os.replace(tmp, traces_dir / "redo-0001.jsonl.gz")
    wait_indexed(index)
    assert (await index.search(SearchQuery("narwhal")))["total"] == 0
    assert (await index.search(SearchQuery("manatee")))["total"] == 1


def _healthy(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


@pytest.mark.parametrize("damage", ["not_a_database", "damaged_pages"])
async def test_a_damaged_index_is_rebuilt(traces_dir, damage):
    write_trace(traces_dir / "dmg-0001.jsonl.gz", header("dmg-0001", T0), tool_span(1, "pelican"))
    first = SqliteSearchIndex(traces_dir, poll=0.1)
    first.start()
    wait_indexed(first)
    first.close()
    path = traces_dir / INDEX_NAME
    data = bytearray(path.read_bytes())
    if damage == "not_a_database":
        data[:100] = b"\x00" * 100
    else:
        for at in range(4096, len(data), 4096):  # the b-tree header of every page but the first (the file header)
            data[at : at + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))
    assert not _healthy(path)  # it really is damaged
    second = SqliteSearchIndex(traces_dir, poll=0.1)
    second.start()
    try:
        wait_indexed(second)
        page = await second.search(SearchQuery("pelican"))
        assert page["total"] == 1
        assert page["progress"]["state"] == "ready"
    finally:
        second.close()


async def test_deleting_the_index_loses_nothing(traces_dir):
    write_trace(traces_dir / "del-0001.jsonl.gz", header("del-0001", T0), tool_span(1, "heron"))
    index = SqliteSearchIndex(traces_dir, poll=0.1)
    index.start()
    wait_indexed(index)
    index.close()
    for name in os.listdir(traces_dir):
        if name.startswith(INDEX_NAME):
            os.unlink(traces_dir / name)
    again = SqliteSearchIndex(traces_dir, poll=0.1)
    again.start()
    try:
        wait_indexed(again)
        assert await ids(again, "heron") == [sid(1)]
    finally:
        again.close()


def test_get_search_through_the_gateway_plugin(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    write_trace(
        traces_dir / "http-0001.jsonl.gz",
        header("http-0001", T0),
        tool_span(1, "the puffin lookup"),
        {**tool_span(2, "the puffin failed"), "status": {"code": "ERROR", "message": "boom"}},
    )
    live = start_gateway(traces_dir, (inspector_sqlite_index.plugin,))
    try:
        index = live.gateway.search_index
        assert isinstance(index, SqliteSearchIndex)
        wait_indexed(index)
        body = live.client.get("/search", params={"q": "puffin"}).json()
        assert body["index"] == "sqlite_fts5"
        assert (body["total"], body["ranked"], body["complete"]) == (2, True, True)
        assert body["progress"]["state"] == "ready"
        errors = live.client.get("/search", params={"q": "puffin", "status": "error"}).json()
        assert [h["span_id"] for h in errors["hits"]] == [sid(2)]
        page = live.client.get("/search", params={"q": "puffin", "limit": 1, "offset": 1}).json()
        assert (page["total"], len(page["hits"]), page["offset"]) == (2, 1, 1)
        assert live.client.get("/search", params={"q": "puffin", "session": "../etc"}).status_code == 400
        assert live.client.get("/search", params={"q": "puffin", "since": "yesterday"}).status_code == 400
        assert live.client.get("/search", params={"q": 'a" OR "b NEAR('}).status_code == 200  # no FTS5 syntax
        plugins = live.client.get("/plugins").json()
        assert plugins["search_index"] == "sqlite_fts5"
    finally:
        live.close()
    assert not index.indexer.running  # stopped with the gateway


async def test_an_index_damaged_while_in_use_is_answered_by_the_file_scan_and_rebuilt(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    write_trace(traces_dir / "live-0001.jsonl.gz", header("live-0001", T0), tool_span(1, "cormorant"))
    live = start_gateway(traces_dir, (inspector_sqlite_index.plugin,))
    try:
        index = live.gateway.search_index
        wait_indexed(index)
        path = traces_dir / INDEX_NAME
        with sqlite3.connect(path) as db:  # move the pages out of the WAL into the file, then damage the file
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with open(path, "r+b") as fh:
            fh.write(b"\x00" * 100)  # the file header: "file is not a database"
        body = live.client.get("/search", params={"q": "cormorant"}).json()
        assert body["index"] == "sqlite_fts5"
        assert "damaged" in body["note"]
        assert [h["span_id"] for h in body["hits"]] == [sid(1)]  # answered by the file scan meanwhile
        deadline = time.monotonic() + 20
        while index.indexer.progress.rebuilds == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        wait_indexed(index)
        again = live.client.get("/search", params={"q": "cormorant"}).json()
        assert "note" not in again
        assert [h["span_id"] for h in again["hits"]] == [sid(1)]
        assert again["progress"]["rebuilds"] == 1
    finally:
        live.close()


async def test_a_dead_indexer_process_is_reported_and_the_file_scan_answers(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    write_trace(traces_dir / "dead-0001.jsonl.gz", header("dead-0001", T0), tool_span(1, "albatross"))
    live = start_gateway(traces_dir, (inspector_sqlite_index.plugin,))
    try:
        index = live.gateway.search_index
        wait_indexed(index)
        index.indexer._proc.kill()  # the child dies (the host is not touched)
        deadline = time.monotonic() + 10
        while index.indexer.progress.state != "failed" and time.monotonic() < deadline:
            time.sleep(0.05)
        body = live.client.get("/search", params={"q": "albatross"}).json()
        assert body["progress"]["state"] == "failed"
        assert "stopped" in body["note"]
        assert [h["span_id"] for h in body["hits"]] == [sid(1)]
    finally:
        live.close()


async def test_the_indexer_can_run_in_a_thread_instead(traces_dir, monkeypatch):
    monkeypatch.setenv("INSPECTOR_SEARCH_INDEXER", "thread")
    write_trace(traces_dir / "thrd-0001.jsonl.gz", header("thrd-0001", T0), tool_span(1, "kittiwake"))
    index = SqliteSearchIndex(traces_dir, poll=0.1)
    assert type(index.indexer).__name__ == "Indexer"
    index.start()
    try:
        wait_indexed(index)
        assert await ids(index, "kittiwake") == [sid(1)]
    finally:
        index.close()
    assert not index.indexer.running


def test_counts_are_kept_for_one_index_state_only():
    from inspector_sqlite_index._counts import CountCache

    cache = CountCache(size=2)
    state = cache.state([("instance", "a"), ("writes", "7")])
    cache.put(state, "q1", (10, 0))
    assert cache.get(state, "q1") == (10, 0)
    cache.put(state, "q2", (20, 0))
    cache.get(state, "q1")  # q1 used last: q2 is the one dropped
    cache.put(state, "q3", (30, 0))
    assert cache.get(state, "q2") is None
    assert cache.get(state, "q1") == (10, 0)
    written = cache.state([("instance", "a"), ("writes", "8")])  # the indexer committed: every count may differ
    assert cache.get(written, "q1") is None
    rebuilt = cache.state([("instance", "b"), ("writes", "8")])  # a new database with the same counter
    cache.put(rebuilt, "q1", (1, 0))
    assert cache.get(written, "q1") is None
    assert cache.get(rebuilt, "q1") == (1, 0)
    unknown = cache.state([("writes", "8")])  # no instance id: nothing is kept
    cache.put(unknown, "q1", (1, 0))
    assert cache.get(unknown, "q1") is None
