"""No input gives a 5xx (issue 12 items 2 and 6): huge Range numbers, invalid UTF-8 and deeply nested JSON bodies,
deeply nested or non-UTF-8 trace lines, and a Host header with text after the bracketed address."""

from __future__ import annotations

import gzip

import httpx
import pytest
from gateway_support import end, header, span, write_trace

from inspector_gateway.security import SECURITY_HEADERS

NINES = "9" * 5000
T0 = "2026-01-01T00:00:00.000000Z"


@pytest.fixture
def with_trace(live):
    write_trace(live.gateway.settings.traces_dir / "ranged-0001.jsonl.gz", header("ranged-0001", T0), span(1), end())
    return live


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (f"bytes=0-{NINES}", 206),  # last beyond the end: up to the end
        (f"bytes={NINES}-", 416),
        (f"bytes={NINES}-{NINES}", 416),
        (f"bytes=-{NINES}", 206),  # suffix longer than the file: the whole file
        (f"bytes=0-{'0' * 5000}1", 206),  # leading zeros are still small numbers
        (f"bytes=5-{'0' * 5000}1", 400),
    ],
)
def test_huge_range_numbers_are_4xx_or_ranges(with_trace, value, status):
    got = with_trace.client.get("/trace/ranged-0001", headers={"Range": value})
    assert got.status_code == status, got.text
    if status >= 400:
        assert "error" in got.json()


def _signal(live, body: bytes) -> httpx.Response:
    return live.client.post("/signal/some-session-1", content=body, headers={"Content-Type": "application/json"})


def test_invalid_utf8_signal_body_is_400(live):
    got = _signal(live, b'{"signal": "resume", "payload": {"answer": "\xff\xfe"}}')
    assert got.status_code == 400
    assert got.json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("depth", [100_000, 1_000, 65])
def test_deeply_nested_json_is_400_at_the_top_and_in_payload(live, depth):
    deep = b"[" * depth + b"]" * depth
    for body in (deep, b'{"signal": "resume", "payload": {"x": ' + deep + b"}}"):
        got = _signal(live, body)
        assert got.status_code == 400, got.text
        assert got.json()["error"]["code"] == "invalid_json"
        assert "nested" in got.json()["error"]["message"]


def test_moderately_nested_payload_is_accepted_as_json(live):
    deep = b"[" * 30 + b"]" * 30
    got = _signal(live, b'{"signal": "resume", "payload": {"x": ' + deep + b"}}")
    assert got.status_code == 404  # valid: reaches the control path (no such session), not a JSON error


def test_nested_and_non_utf8_trace_lines_do_not_break_sessions_or_otlp(live):
    traces = live.gateway.settings.traces_dir
    deep = b"[" * 100_000 + b"]" * 100_000
    lines = [
        gzip_line(header("oddline-01", T0)),
        b'{"type":"span","name":' + deep + b"}\n",
        b'{"type":"session_end","status":"completed","error":"\xff"}\n',
        b"[" * 100_000 + b"\n",
    ]
    (traces / "oddline-01.jsonl.gz").write_bytes(gzip.compress(b"".join(lines)))
    rows = live.client.get("/sessions")
    assert rows.status_code == 200
    assert [r["id"] for r in rows.json()["sessions"]] == ["oddline-01"]
    assert live.client.get("/trace/oddline-01", params={"format": "otlp"}).status_code < 500
    assert live.client.get("/search", params={"q": "span"}).status_code == 200


def gzip_line(record: dict) -> bytes:
    import json

    return json.dumps(record).encode() + b"\n"


@pytest.mark.parametrize("host", ["[::1]anything", "[::1]evil.example", "[::1]:80x", "[::1", "[::1]:"])
def test_host_with_text_after_the_bracket_is_refused(live, host):
    got = live.client.get("/sessions", headers={"Host": host})
    assert got.status_code in (400, 403)


@pytest.mark.parametrize("host", ["[::1]", "[::1]:8080", "localhost:1", "127.0.0.1"])
def test_loopback_hosts_still_accepted(live, host):
    assert live.client.get("/sessions", headers={"Host": host}).status_code == 200


def test_an_unexpected_500_still_carries_the_security_headers(live, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("a bug")

    from inspector_gateway.routes import _api

    monkeypatch.setattr(_api, "gateway_version", boom)
    got = live.client.get("/health")
    assert got.status_code == 500
    assert got.json()["error"]["code"] == "internal_error"
    assert "a bug" not in got.text
    for name, value in SECURITY_HEADERS:
        assert got.headers[name.decode()] == value.decode()
