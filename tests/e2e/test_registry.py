"""The resources & prompts page stays short on a long-running app: each entry lists its newest sessions, and the
rest on request."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "gateway"))

from gateway_support import Live, end, header, span, start_gateway, write_trace

pytestmark = pytest.mark.e2e

SHOWN = 10  # ui/src/pages/RegistryPage.tsx SHOWN_SESSIONS
MANY = SHOWN + 3


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    for n in range(MANY):
        sid = f"registry-{n:04d}"
        uses = [span(0, "resource.fetch", **{"mcp.resource.uri": "demo://many"})]
        if n < 2:
            uses.append(span(1, "resource.fetch", **{"mcp.resource.uri": "demo://few"}))
        write_trace(tmp_path / f"{sid}.jsonl.gz", header(sid, f"2026-01-01T00:{n:02d}:00.000000Z"), *uses, end())
    server = start_gateway(tmp_path)
    yield server
    server.close()


def _sessions(row: Any) -> list[str]:
    return list(row.locator("[data-testid=registry-session]").evaluate_all("els => els.map(e => e.dataset.sessionId)"))


def test_an_entry_lists_its_newest_sessions_and_the_rest_on_request(live: Live, page: Any) -> None:
    page.goto(f"{live.base}/ui/?token={live.token}#/registry")
    many = page.locator("[data-testid=registry-resource][data-name='demo://many']")
    many.wait_for(timeout=20_000)
    newest = [f"registry-{n:04d}" for n in reversed(range(MANY))]
    assert _sessions(many) == newest[:SHOWN]
    few = page.locator("[data-testid=registry-resource][data-name='demo://few']")
    assert _sessions(few) == ["registry-0001", "registry-0000"]
    assert few.locator("[data-testid=registry-show-all]").count() == 0
    more = many.locator("[data-testid=registry-show-all]")
    assert more.inner_text() == f"show all {MANY} sessions"
    more.click()
    assert _sessions(many) == newest
    assert more.count() == 0
