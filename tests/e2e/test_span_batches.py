"""The views that show many spans (protocol history, compare) in real Chromium fetch their records in batches
(``GET /trace/{id}/spans``), not one request a span, and still show every message and difference. One session is
a v2 part with its sidecars, the other a v1 part (its sidecars rebuilt by the gateway, its spans read from
checkpoints)."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "gateway"))
sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

from gateway_support import Live, start_gateway
from real_traces import write_trace

from inspector_hooks import tracefile

pytestmark = [pytest.mark.e2e]

STATIC_INDEX = Path(__file__).parents[2] / "packages/inspector-gateway/src/inspector_gateway/static/index.html"
LEFT, RIGHT, PAGED = "batch-left-0001", "batch-right-001", "batch-paged-001"
PAGE_SPANS = 1000  # ui/src/pages/ProtocolPage.tsx
SPANS = 2_000


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Live, Path]]:
    if not STATIC_INDEX.is_file():
        pytest.skip("the UI is not built: run scripts/build-ui")
    mp = pytest.MonkeyPatch()
    mp.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    traces = tmp_path_factory.mktemp("batches") / "traces"
    traces.mkdir()
    write_trace(traces, SPANS, session_id=LEFT)
    write_trace(traces, SPANS, session_id=RIGHT, sidecars=False)
    write_trace(traces, 2 * SPANS, session_id=PAGED)
    live = start_gateway(traces)
    yield live, traces
    live.close()
    mp.undo()


def _rpc_spans(traces: Path, sid: str) -> list[dict[str, Any]]:
    with gzip.open(tracefile.part_path(traces, sid, 0), "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    return [r for r in records if r["type"] == "span" and "mcp.rpc.method" in r["attributes"]]


def _watch(page: Any) -> list[str]:
    """The span requests the page makes, from now on."""
    urls: list[str] = []
    page.on("request", lambda req: urls.append(req.url) if "/span" in req.url else None)
    return urls


def _open(page: Any, live: Live, hash_: str) -> None:
    page.goto(f"{live.base}/ui/?token={live.token}")
    page.wait_for_selector("[data-testid=sessions-page]")
    page.evaluate("(h) => { location.hash = h; }", hash_)


def test_protocol_history_in_batches(served: tuple[Live, Path], page: Any) -> None:
    live, traces = served
    rpc = _rpc_spans(traces, RIGHT)
    assert len(rpc) > 300
    urls = _watch(page)
    _open(page, live, f"#/session/{RIGHT}/protocol")
    page.wait_for_selector("[data-testid=rpc-table]", timeout=60_000)
    messages = page.locator("[data-testid=rpc-message]")
    assert messages.count() == 2 * len(rpc)  # each call: its request and its response
    kinds = messages.evaluate_all("els => els.map(e => [e.dataset.kind, e.dataset.dir, e.dataset.method])")
    assert sorted({tuple(k) for k in kinds}) == [("request", "out", "tools/call"), ("response", "in", "tools/call")]
    first = min(rpc, key=lambda r: r["start_time"])
    messages.first.click()
    body = page.locator("[data-testid=rpc-body]").first.inner_text()
    assert json.loads(first["attributes"]["mcp.rpc.request_json"])["params"]["name"] in body
    assert not [u for u in urls if "/span/" in u]  # no request a span
    batches = [u for u in urls if "/spans?ids=" in u]
    assert 1 <= len(batches) <= len(rpc) // 256 + 4


def test_compare_in_batches(served: tuple[Live, Path], page: Any) -> None:
    live, _ = served
    urls = _watch(page)
    _open(page, live, f"#/compare/{LEFT}/{RIGHT}")
    page.wait_for_selector("[data-testid=compare-table]", timeout=60_000)
    llm = page.locator("[data-testid=compare-row][data-name='llm.generate'][data-side=both]").first
    page.wait_for_function(  # the tokens of both sides: their records came
        """() => {
          const row = document.querySelector("[data-testid=compare-row][data-name='llm.generate'][data-side=both]");
          const cells = row ? row.querySelectorAll("td") : [];
          return cells.length > 2 && cells[1].textContent !== "—" && cells[2].textContent !== "—";
        }""",
        timeout=60_000,
    )
    llm.click()
    page.wait_for_selector("[data-testid=diff-item], [data-testid=diff-same]")
    cells = llm.locator("td").all_inner_texts()
    assert cells[1] != "—"
    assert cells[2] != "—"
    assert not [u for u in urls if "/span/" in u]
    assert {u.split("/trace/")[1].split("/")[0] for u in urls if "/spans?ids=" in u} == {LEFT, RIGHT}
    assert len([u for u in urls if "/spans?ids=" in u]) <= 2 * (800 // 256 + 4)  # MAX_PAIRS 400 a side at most


def test_a_long_protocol_history_comes_a_page_at_a_time(served: tuple[Live, Path], page: Any) -> None:
    live, traces = served
    rpc = _rpc_spans(traces, PAGED)
    assert len(rpc) > PAGE_SPANS
    urls = _watch(page)
    _open(page, live, f"#/session/{PAGED}/protocol")
    page.wait_for_selector("[data-testid=rpc-more]", timeout=60_000)
    messages = page.locator("[data-testid=rpc-message]")
    first = messages.count()
    assert 2 * PAGE_SPANS - 50 <= first <= 2 * PAGE_SPANS  # the answers after the next call not loaded wait
    assert f"the first {PAGE_SPANS:,} of {len(rpc):,} calls" in page.locator("[data-testid=rpc-count]").inner_text()
    ids = {u.split("ids=")[1] for u in urls if "/spans?ids=" in u}
    assert sum(len(i.split(",")) for i in ids) == PAGE_SPANS  # only the first page's spans were asked for
    shown = messages.evaluate_all("els => els.map(e => e.dataset.kind + ' ' + e.dataset.method)")
    page.click("[data-testid=rpc-more]")
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=rpc-message]').length === {2 * len(rpc)}")
    assert page.locator("[data-testid=rpc-more]").count() == 0
    everything = messages.evaluate_all("els => els.map(e => e.dataset.kind + ' ' + e.dataset.method)")
    assert everything[: len(shown)] == shown  # the first page was the start of the whole history
    assert not [u for u in urls if "/span/" in u]
