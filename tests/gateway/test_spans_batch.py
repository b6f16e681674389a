"""``GET /trace/{id}/spans``: several spans' records at once, equal to one-at-a-time lookups and a full parse; bad
input is a clear 400 JSON error, never a 5xx; the security rules of the other trace routes."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_support import Live, start_gateway

from inspector_hooks import tracefile

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from real_traces import write_trace as write_real_trace

SID = "batch-trace-0001"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Any:
    folder = tmp_path_factory.mktemp("batch")
    write_real_trace(folder, 3_000, session_id=SID)
    mp = pytest.MonkeyPatch()
    mp.setenv("INSPECTOR_PLUGINS_AUTOLOAD", "0")
    live = start_gateway(folder)
    yield live, folder
    live.close()
    mp.undo()


def _whole(folder: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for line in gzip.decompress(tracefile.part_path(folder, SID, 0).read_bytes()).splitlines():
        record = json.loads(line)
        if record["type"] == tracefile.SPAN:
            out[record["span_id"]] = record
    return out


def test_a_batch_equals_the_full_parse_and_single_lookups(served: tuple[Live, Path]):
    live, folder = served
    whole = _whole(folder)
    ids = list(whole)
    for at in range(0, len(ids), 256):
        chunk = ids[at : at + 256]
        got = live.client.get(f"/trace/{SID}/spans", params={"ids": ",".join(chunk)})
        assert got.status_code == 200
        assert got.json() == {"spans": {i: whole[i] for i in chunk}, "missing": []}
    one = ids[len(ids) // 2]
    assert live.client.get(f"/trace/{SID}/span/{one}").json() == whole[one]
    unknown = "f" * 16
    got = live.client.get(f"/trace/{SID}/spans", params=[("ids", f"{one},{unknown}"), ("ids", one)]).json()
    assert got == {"spans": {one: whole[one]}, "missing": [unknown]}  # repeats count once, params may repeat


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "missing_ids"),
        ("?ids=", "invalid_span_id"),
        ("?ids=,", "invalid_span_id"),
        ("?ids=ABCDEF0123456789", "invalid_span_id"),
        ("?ids=0123456789abcdef,../../etc/passwd", "invalid_span_id"),
        ("?ids=" + "a" * 5000, "invalid_span_id"),
        ("?ids=" + ",".join(f"{n:016x}" for n in range(257)), "too_many_ids"),
        ("?other=1", "missing_ids"),
    ],
)
def test_bad_input_is_a_clear_400(served: tuple[Live, Path], query: str, code: str):
    live, _ = served
    got = live.client.get(f"/trace/{SID}/spans{query}")
    assert got.status_code == 400
    assert got.json()["error"]["code"] == code
    assert len(got.text) < 400  # a long bad id is not echoed whole


def test_sessions_and_security(served: tuple[Live, Path]):
    live, _ = served
    ok = "0" * 15 + "1"
    assert live.client.get(f"/trace/no-such-session/spans?ids={ok}").status_code == 404
    assert live.client.get(f"/trace/bad%20id/spans?ids={ok}").status_code == 400
    assert live.client.get(f"/trace/..%2F..%2Fetc/spans?ids={ok}").status_code in (400, 404)
    assert httpx.get(f"{live.base}/trace/{SID}/spans?ids={ok}").status_code == 401  # no token
    assert live.client.get(f"/trace/{SID}/spans?ids={ok}", headers={"Host": "evil.example"}).status_code == 403
    assert live.client.post(f"/trace/{SID}/spans?ids={ok}").status_code == 405
