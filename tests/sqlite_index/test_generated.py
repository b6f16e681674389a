"""Real SQLite FTS5 over a generated trace of 100,000 spans with realistic attribute sizes."""

from __future__ import annotations

from search_support import BIG_SPANS, LAST_NEEDLE

from inspector_gateway import SearchQuery


async def test_every_span_is_indexed_and_the_last_one_is_found(big):
    assert big.index.indexer.progress.spans == BIG_SPANS
    page = await big.index.search(SearchQuery(LAST_NEEDLE))
    assert page["total"] == 1
    assert page["complete"] is True
    hit = page["hits"][0]
    assert hit["span_id"] == f"{BIG_SPANS:016x}"  # the generator's span n has id n + 1
    assert hit["session_id"] == "big-session-0001"
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == LAST_NEEDLE
    assert "\\" not in hit["snippet"]  # readable text, not escaped JSON
    assert '"' not in hit["snippet"]


async def test_phrase_and_prefix(big):
    phrase = await big.index.search(SearchQuery(f'"the {LAST_NEEDLE}"'))
    assert phrase["total"] == 1
    wrong_order = await big.index.search(SearchQuery(f'"{LAST_NEEDLE} the"'))
    assert wrong_order["total"] == 0
    prefix = await big.index.search(SearchQuery(LAST_NEEDLE[:5] + "*"))
    assert [h["span_id"] for h in prefix["hits"]] == [f"{BIG_SPANS:016x}"]
    assert (await big.index.search(SearchQuery(LAST_NEEDLE[:5])))["total"] == 0  # a word, not a prefix


async def test_true_total_and_pages(big):
    # every JSON-RPC span (6 of each 10) names tools/call
    first = await big.index.search(SearchQuery("tools call", limit=20))
    assert first["total"] == BIG_SPANS * 6 // 10
    assert len(first["hits"]) == 20
    second = await big.index.search(SearchQuery("tools call", limit=20, offset=20))
    assert {h["span_id"] for h in first["hits"]}.isdisjoint(h["span_id"] for h in second["hits"])


async def test_filters(big):
    errors = await big.index.search(SearchQuery("lookup failed", status="ERROR", limit=500))
    expected = sum(1 for n in range(BIG_SPANS) if n % 97 == 3 and 1 <= n % 10 <= 3)
    assert errors["total"] == expected
    assert all(h["status"] == "ERROR" and h["field"] == "exception.message" for h in errors["hits"])
    tools = await big.index.search(SearchQuery("metric", kind="tool"))
    assert tools["total"] == BIG_SPANS * 3 // 10
    assert (await big.index.search(SearchQuery("metric", kind="CLIENT")))["total"] == 0
    other = await big.index.search(SearchQuery("metric", session_id="another-session"))
    assert other["total"] == 0
    early = await big.index.search(SearchQuery("metric", until="2026-03-01T00:00:00.999000Z"))
    assert early["total"] == sum(1 for n in range(1000) if 1 <= n % 10 <= 3)
    late = await big.index.search(SearchQuery("metric", since="2026-03-01T00:01:39.000000Z"))
    assert late["total"] == sum(1 for n in range(99_000, BIG_SPANS) if 1 <= n % 10 <= 3)
