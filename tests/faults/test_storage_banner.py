"""The page shows the storage state as a banner for as long as it lasts, also when opened long after the one
StorageError event (issue 12 item 5). Real Chromium against a live gateway serving the built UI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gateway_support import emit

from inspector_gateway.index_html import STATIC_DIR

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not (STATIC_DIR / "index.html").is_file() or not Path(CHROMIUM).exists(),
    reason="needs the built UI (scripts/build-ui) and /usr/bin/chromium",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, live):
    page = browser.new_page()
    page.goto(f"{live.base}/ui/?token={live.token}")
    page.wait_for_selector("text=Sessions", timeout=15_000)
    return page


def test_a_page_opened_later_shows_the_storage_banner_until_storage_recovers(browser, live):
    emit("storage_error", path="/srv/traces/x-000001.jsonl.gz", message="[Errno 28] No space left on device")
    for i in range(1100):  # the StorageError event is long gone from the ring
        emit("span_started", session_id="other-0001", span={"i": i})
    page = _open(browser, live)
    banner = page.get_by_test_id("banner-storage")
    banner.wait_for(timeout=10_000)
    assert "No space left on device" in banner.inner_text()
    emit("storage_recovered", path="/srv/traces/x-000001.jsonl.gz")
    banner.wait_for(state="detached", timeout=10_000)  # the open page clears it at the event
    page.close()
    later = _open(browser, live)
    later.wait_for_timeout(500)
    assert later.get_by_test_id("banner-storage").count() == 0
    later.close()
