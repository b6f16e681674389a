"""GET /trace/{id}: gzip bytes, ETag, Range per RFC 9110, rotated parts, live growing files, OTLP/JSON."""

from __future__ import annotations

import contextlib
import gzip
import json
import zlib
from datetime import datetime, timezone

import httpx
import pytest
from gateway_support import TraceWriter, end, header, span, write_trace
from hypothesis import given
from hypothesis import strategies as st

from inspector_gateway.routes._trace import MalformedRange, RangeNotSatisfiable, parse_range

T0 = "2026-01-01T00:00:00.000000Z"


def raw(live, path, **headers):
    with (
        httpx.Client(base_url=live.base, headers={**live.headers, **headers}) as client,
        client.stream("GET", path) as r,
    ):
        return r, b"".join(r.iter_raw())


def lines(data: bytes) -> list[dict]:
    return [json.loads(x) for x in gzip.decompress(data).splitlines() if x.strip()]


def test_whole_file_is_served_gzip(live, traces_dir):
    write_trace(traces_dir / "sess-001.jsonl.gz", header("sess-001", T0), span(1), end())
    r, body = raw(live, "/trace/sess-001")
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["content-type"].startswith("application/x-ndjson")
    assert r.headers["accept-ranges"] == "bytes"
    assert body == (traces_dir / "sess-001.jsonl.gz").read_bytes()
    assert [x["type"] for x in lines(body)] == ["session", "span", "session_end"]


def test_missing_trace_is_404(live):
    r = live.client.get("/trace/no-such-session")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_etag_and_if_none_match(live, traces_dir):
    write_trace(traces_dir / "sess-002.jsonl.gz", header("sess-002", T0))
    r, _ = raw(live, "/trace/sess-002")
    etag = r.headers["etag"]
    r2, body = raw(live, "/trace/sess-002", **{"If-None-Match": etag})
    assert r2.status_code == 304
    assert body == b""
    r3, _ = raw(live, "/trace/sess-002", **{"If-None-Match": '"other"'})
    assert r3.status_code == 200


def test_etag_changes_when_the_file_grows(live, traces_dir):
    writer = TraceWriter(traces_dir / "sess-003.jsonl.gz")
    writer.write(header("sess-003", T0))
    first, _ = raw(live, "/trace/sess-003")
    writer.write(span(1))
    second, _ = raw(live, "/trace/sess-003")
    writer.close()
    assert first.headers["etag"] != second.headers["etag"]


def test_ranges(live, traces_dir):
    path = traces_dir / "sess-004.jsonl.gz"
    write_trace(path, header("sess-004", T0), *(span(i) for i in range(50)), end())
    data = path.read_bytes()
    size = len(data)
    r, body = raw(live, "/trace/sess-004", Range="bytes=0-9")
    assert r.status_code == 206
    assert r.headers["content-range"] == f"bytes 0-9/{size}"
    assert r.headers["content-length"] == "10"
    assert body == data[:10]
    r, body = raw(live, "/trace/sess-004", Range="bytes=10-")
    assert (r.status_code, body) == (206, data[10:])
    r, body = raw(live, "/trace/sess-004", Range="bytes=-5")
    assert (r.status_code, body) == (206, data[-5:])
    r, body = raw(live, "/trace/sess-004", Range=f"bytes=5-{size + 100}")
    assert r.headers["content-range"] == f"bytes 5-{size - 1}/{size}"
    assert body == data[5:]


@pytest.mark.parametrize("value", ["bytes=999999-", "bytes=-0"])
def test_unsatisfiable_range_is_416(live, traces_dir, value):
    path = traces_dir / "sess-005.jsonl.gz"
    write_trace(path, header("sess-005", T0))
    r = live.client.get("/trace/sess-005", headers={"Range": value})
    assert r.status_code == 416
    assert r.headers["content-range"] == f"bytes */{path.stat().st_size}"
    assert r.json()["error"]["code"] == "range_not_satisfiable"


@pytest.mark.parametrize("value", ["bytes=abc", "bytes=5-2", "items=0-1", "bytes=-", "bytes 0-1", "bytes=0x10-"])
def test_malformed_range_is_400(live, traces_dir, value):
    write_trace(traces_dir / "sess-006.jsonl.gz", header("sess-006", T0))
    r = live.client.get("/trace/sess-006", headers={"Range": value})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "bad_range"


def test_multiple_ranges_get_the_whole_file(live, traces_dir):
    path = traces_dir / "sess-007.jsonl.gz"
    write_trace(path, header("sess-007", T0))
    r, body = raw(live, "/trace/sess-007", Range="bytes=0-1,4-5")
    assert r.status_code == 200
    assert body == path.read_bytes()


def test_if_range_mismatch_serves_the_whole_file(live, traces_dir):
    path = traces_dir / "sess-008.jsonl.gz"
    write_trace(path, header("sess-008", T0))
    r, body = raw(live, "/trace/sess-008", Range="bytes=0-3", **{"If-Range": '"stale"'})
    assert r.status_code == 200
    assert body == path.read_bytes()


def test_rotated_parts_are_joined(live, traces_dir):
    write_trace(traces_dir / "sess-009.jsonl.gz", header("sess-009", T0), span(0))
    write_trace(traces_dir / "sess-009.1.jsonl.gz", span(1))
    write_trace(traces_dir / "sess-009.2.jsonl.gz", span(2), end())
    r, body = raw(live, "/trace/sess-009")
    assert r.status_code == 200
    assert [(x["type"], x.get("attributes", {}).get("n")) for x in lines(body)] == [
        ("session", None),
        ("span", 0),
        ("span", 1),
        ("span", 2),
        ("session_end", None),
    ]
    # a range across the part boundary
    size0 = (traces_dir / "sess-009.jsonl.gz").stat().st_size
    r, part = raw(live, "/trace/sess-009", Range=f"bytes={size0 - 3}-{size0 + 2}")
    assert r.status_code == 206
    assert part == body[size0 - 3 : size0 + 3]


def test_range_reads_of_a_growing_file_concatenate_to_the_whole_file(live, traces_dir):
    writer = TraceWriter(traces_dir / "sess-010.jsonl.gz")
    writer.write(header("sess-010", T0))
    got = b""
    for batch in range(20):
        writer.write(*(span(batch * 10 + i) for i in range(10)))
        r, body = raw(live, "/trace/sess-010", Range=f"bytes={len(got)}-")
        assert r.status_code == 206, r.status_code
        total = int(r.headers["content-range"].rsplit("/", 1)[1])
        got += body
        assert len(got) == total
        # what was read so far decodes (sync-flushed) to whole lines
        text = zlib.decompressobj(31).decompress(got)
        assert text.endswith(b"\n")
        assert len(text.splitlines()) == 1 + (batch + 1) * 10
    writer.write(end())
    writer.close()
    r, body = raw(live, "/trace/sess-010", Range=f"bytes={len(got)}-")
    got += body
    assert got == (traces_dir / "sess-010.jsonl.gz").read_bytes()
    assert lines(got)[-1]["type"] == "session_end"
    r, _ = raw(live, "/trace/sess-010", Range=f"bytes={len(got)}-")
    assert r.status_code == 416  # nothing new yet


def test_otlp_format(live, traces_dir):
    rec = span(7, "llm.generate", model="m", ok=True, ratio=0.5, tags=["a", "b"])
    rec["parent_span_id"] = "f" * 16
    rec["status"] = {"code": "ERROR", "message": "boom"}
    rec["kind"] = "CLIENT"
    rec["events"] = [{"name": "exception", "time": T0, "attributes": {"x": "y"}}]
    write_trace(traces_dir / "sess-011.jsonl.gz", header("sess-011", T0), rec, end())
    r = live.client.get("/trace/sess-011", params={"format": "otlp"})
    assert r.status_code == 200
    body = r.json()
    resource = body["resourceSpans"][0]["resource"]["attributes"]
    assert {"key": "service.name", "value": {"stringValue": "tests"}} in resource
    (otlp,) = body["resourceSpans"][0]["scopeSpans"][0]["spans"]
    assert otlp["traceId"] == rec["trace_id"]
    assert otlp["spanId"] == rec["span_id"]
    assert otlp["parentSpanId"] == "f" * 16
    assert otlp["kind"] == 3
    assert otlp["status"] == {"code": 2, "message": "boom"}
    assert otlp["startTimeUnixNano"] == "1767225600000000000"
    attrs = {a["key"]: a["value"] for a in otlp["attributes"]}
    assert attrs["model"] == {"stringValue": "m"}
    assert attrs["n"] == {"intValue": "7"}
    assert attrs["ok"] == {"boolValue": True}
    assert attrs["ratio"] == {"doubleValue": 0.5}
    assert attrs["tags"] == {"arrayValue": {"values": [{"stringValue": "a"}, {"stringValue": "b"}]}}
    assert otlp["events"][0]["name"] == "exception"


def test_unknown_format_is_400(live, traces_dir):
    write_trace(traces_dir / "sess-012.jsonl.gz", header("sess-012", T0))
    assert live.client.get("/trace/sess-012", params={"format": "xml"}).status_code == 400


@given(size=st.integers(0, 10_000), first=st.integers(0, 20_000), last=st.integers(0, 20_000))
def test_parse_range_matches_rfc9110(size, first, last):
    try:
        got = parse_range(f"bytes={first}-{last}", size)
    except MalformedRange:
        assert last < first
        return
    except RangeNotSatisfiable:
        assert first >= size
        return
    assert got == (first, min(last, size - 1))
    assert 0 <= got[0] <= got[1] < size


@given(size=st.integers(0, 10_000), suffix=st.integers(0, 20_000))
def test_parse_suffix_range(size, suffix):
    try:
        first, last = parse_range(f"bytes=-{suffix}", size)
    except RangeNotSatisfiable:
        assert suffix == 0 or size == 0
        return
    assert last == size - 1
    assert last - first + 1 == min(suffix, size)


@given(st.text(max_size=40))
def test_parse_range_never_raises_anything_else(text):
    with contextlib.suppress(MalformedRange, RangeNotSatisfiable):
        parse_range(text, 100)


@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.just(timezone.utc)),
    st.integers(0, 999),
)
def test_otlp_time_conversion_is_exact(moment, nanos):
    from inspector_gateway.sessions._otlp import _nanos

    text = moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + f"{nanos:03d}Z"
    whole = int(moment.replace(microsecond=0).timestamp())
    assert int(_nanos(text)) == whole * 1_000_000_000 + moment.microsecond * 1000 + nanos


def test_a_gap_in_the_part_numbers_is_skipped_over(live, traces_dir):
    write_trace(traces_dir / "sess-010.jsonl.gz", header("sess-010", T0), span(0))
    write_trace(traces_dir / "sess-010.2.jsonl.gz", span(2), end())  # part 1 lost: what follows still counts
    r, body = raw(live, "/trace/sess-010")
    assert [(x["type"], x.get("attributes", {}).get("n")) for x in lines(body)] == [
        ("session", None),
        ("span", 0),
        ("span", 2),
        ("session_end", None),
    ]
    (only,) = [s for s in live.client.get("/sessions").json()["sessions"] if s["id"] == "sess-010"]
    assert (only["span_count"], only["status"]) == (2, "completed")


def test_rotated_parts_without_their_first_file_are_not_served(live, traces_dir):
    write_trace(traces_dir / "sess-011.1.jsonl.gz", span(1))
    r, _ = raw(live, "/trace/sess-011")
    assert r.status_code == 404
