"""Issue 16: tokens and cost per session (GET /sessions usage, live and from files) and the price table."""

from __future__ import annotations

import json

import pytest
from gateway_support import end, header, span, start_gateway, started, write_trace

from inspector_gateway.sessions._prices import DEFAULT_PRICES, load_prices


def llm(n: int, model: str, tokens_in: int, tokens_out: int, name: str = "llm.generate"):
    return span(
        n,
        name,
        **{
            "gen_ai.request.model": model,
            "gen_ai.usage.input_tokens": tokens_in,
            "gen_ai.usage.output_tokens": tokens_out,
        },
    )


@pytest.fixture
def files(traces_dir):
    write_trace(
        traces_dir / "run-priced1.jsonl.gz",
        header("run-priced1", "2026-01-01T00:00:00.000000Z"),
        llm(1, "gpt-4o-mini-2024-07-18", 1_000_000, 100_000),
        llm(2, "gpt-4o-mini-2024-07-18", 500_000, 0),
        llm(3, "gpt-4o-mini", 999, 999, name="OpenAIAugmentedLLM.generate"),  # repeats a generation's tokens
        span(4, "tool.call"),
        end(),
    )
    write_trace(
        traces_dir / "run-mixed01.jsonl.gz",
        header("run-mixed01", "2026-01-01T00:00:01.000000Z"),
        llm(1, "gpt-4o", 1000, 1000),
        llm(2, "scripted-1", 10, 20),
        end(),
    )
    write_trace(traces_dir / "run-notoken.jsonl.gz", header("run-notoken", "2026-01-01T00:00:02.000000Z"), end())
    return traces_dir


def _rows(live) -> dict:
    return {row["id"]: row for row in live.client.get("/sessions").json()["sessions"]}


def test_session_usage_from_files(files, monkeypatch):
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    monkeypatch.delenv("INSPECTOR_PRICES", raising=False)
    live = start_gateway(files)
    try:
        rows = _rows(live)
    finally:
        live.close()
    priced = rows["run-priced1"]["usage"]
    assert priced["input_tokens"] == 1_500_000  # llm.generate only: the provider span is not added again
    assert priced["output_tokens"] == 100_000
    assert priced["models"]["gpt-4o-mini-2024-07-18"]["calls"] == 2
    assert priced["cost_usd"] == pytest.approx(1.5 * 0.15 + 0.1 * 0.60)
    assert priced["unpriced"] == []
    mixed = rows["run-mixed01"]["usage"]
    assert mixed["cost_usd"] is None  # scripted-1 has no price: the total is unknown, not a guess
    assert mixed["unpriced"] == ["scripted-1"]
    assert mixed["models"]["gpt-4o"]["cost_usd"] == pytest.approx((1000 * 2.5 + 1000 * 10) / 1e6)
    assert mixed["models"]["scripted-1"]["cost_usd"] is None
    assert "usage" not in rows["run-notoken"]


def test_user_prices_override_and_extend(files, tmp_path, monkeypatch):
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"scripted-1": {"input": 1.0, "output": 2.0}, "gpt-4o": {"input": 0, "output": 0}}))
    monkeypatch.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    monkeypatch.setenv("INSPECTOR_PRICES", str(prices))
    live = start_gateway(files)
    try:
        rows = _rows(live)
        table = live.client.get("/prices").json()
    finally:
        live.close()
    assert rows["run-mixed01"]["usage"]["cost_usd"] == pytest.approx((10 * 1.0 + 20 * 2.0) / 1e6)
    assert table["overrides"] == str(prices)
    assert table["models"]["scripted-1"] == {"input": 1.0, "output": 2.0}
    assert table["models"]["gpt-4o"] == {"input": 0.0, "output": 0.0}
    assert table["currency"] == "USD"


def test_a_bad_price_file_is_reported_and_ignored(tmp_path):
    bad = tmp_path / "prices.json"
    bad.write_text('{"gpt-4o": {"input": "cheap"}}')
    table = load_prices(bad)
    assert table.error is not None
    assert "non-negative numbers" in table.error
    assert table.price("gpt-4o") == DEFAULT_PRICES["gpt-4o"]
    assert load_prices(tmp_path / "missing.json").error.startswith("FileNotFoundError")


def test_price_matching():
    table = load_prices()
    assert table.price("gpt-4o-mini-2024-07-18") == DEFAULT_PRICES["gpt-4o-mini"]
    assert table.price("openai/gpt-4o-2024-08-06") == DEFAULT_PRICES["gpt-4o"]
    assert table.price("claude-3-5-sonnet-20241022") == DEFAULT_PRICES["claude-3-5-sonnet"]
    assert table.price("claude-sonnet-4-5-20250929") == DEFAULT_PRICES["claude-sonnet-4-5"]
    assert table.price("scripted-1") is None
    assert table.price(None) is None


def test_live_usage_from_span_ended_hooks(live):
    from gateway_support import emit

    started("run-live0001", "2026-01-01T00:00:00.000000Z")
    for tokens in (100, 200):
        emit(
            "span_ended",
            session_id="run-live0001",
            span={
                "span_id": f"{tokens:016x}",
                "name": "llm.generate",
                "usage": {"model": "gpt-4o", "input_tokens": tokens, "output_tokens": 10},
            },
        )
    emit("span_ended", session_id="run-live0001", span={"span_id": "0" * 16, "name": "tool.call"})
    usage = _rows(live)["run-live0001"]["usage"]
    assert usage["input_tokens"] == 300
    assert usage["output_tokens"] == 20
    assert usage["models"]["gpt-4o"]["calls"] == 2
    emit("session_finished", session_id="run-live0001", status="completed", error=None)
