"""The writer's skeleton maker (``_sidecars.skeleton_of``) patches the batch's encoded lines instead of encoding
every skeleton line again: its bytes and locators must be exactly those of the rule, ``tracefile.skeleton_record``
of each record encoded as a line, located after the access point each line follows."""

from __future__ import annotations

import random
from typing import Any

import msgspec
import pytest

from inspector_hooks import tracefile
from inspector_otel._jsonl import SpanLine, encode_line, encode_lines, record_of
from inspector_otel._sidecars import skeleton_of

_T0 = 1_767_225_600_000_000_000


def _span(rng: random.Random, n: int) -> SpanLine:
    attributes: dict[str, Any] = {"n": n, "ok": True, "ratio": 0.5, "none": None, "name": "tool"}
    if rng.random() < 0.5:
        attributes["mcp.tool.output_json"] = "é" * rng.choice([40, 60, 101, 300])  # cut over 200 UTF-8 bytes
    if rng.random() < 0.2:
        attributes["list"] = ["x" * 30] * rng.choice([2, 9])
    if rng.random() < 0.1:  # a key that looks like the span line's own end
        attributes["events"] = []
        attributes["links"] = []
    if rng.random() < 0.1:
        attributes["mcp.resource.uri"] = "file:///a"
    events: list[dict[str, Any]] = []
    if rng.random() < 0.1:
        events = [{"name": "e", "time": "t", "attributes": {"events": [], "links": []}}]
    links: list[dict[str, Any]] = []
    if rng.random() < 0.05:
        links = [{"trace_id": "1" * 32, "span_id": "2" * 16, "attributes": {}}]
    name = "llm.generate" if rng.random() < 0.1 else "tool.call"
    return record_of((1, n + 1, None, name, "INTERNAL", _T0 + n, _T0 + n + 9, "OK", None, attributes, events, links))


def _records(rng: random.Random, count: int) -> list[Any]:
    out: list[Any] = []
    for n in range(count):
        x = rng.random()
        if x < 0.1:
            out.append(
                tracefile.span_start_record(
                    trace_id="1" * 32, span_id=f"{n + 1:016x}", parent_span_id=None, name="a", kind="INTERNAL",
                    start_time="2026-01-01T00:00:00.000000Z",
                )
            )  # fmt: skip
        elif x < 0.13:
            out.append(tracefile.session_paused_record("sig", "why", {"events": [], "links": []}))
        out.append(_span(rng, n))
    return out


def _expected(
    verbatim: list[bytes], records: list[Any], data: bytes, part: int, points: list[tuple[int, int]]
) -> tuple[bytes, bytes]:
    lines: list[bytes] = list(verbatim)
    locs: list[bytes] = []
    offset = sum(map(len, verbatim))
    for record in records:
        access_point = max(a for at, a in points if at <= offset)
        as_dict = msgspec.to_builtins(record) if isinstance(record, SpanLine) else record
        lines.append(encode_line(tracefile.skeleton_record(as_dict, (part, access_point))))
        if as_dict["type"] in (tracefile.SPAN, tracefile.SPAN_START):
            locs.append(tracefile.locator_entry(as_dict["span_id"], access_point, start=as_dict["type"] != "span"))
        offset = data.index(b"\n", offset) + 1
    return b"".join(lines), b"".join(locs)


@pytest.mark.parametrize("seed", range(12))
def test_skeleton_lines_follow_the_rule(seed: int) -> None:
    rng = random.Random(seed)
    verbatim = [encode_line(tracefile.session_end_record("completed", None))] if seed % 3 == 0 else []
    records = _records(rng, rng.choice([1, 5, 200]))
    data = b"".join(verbatim) + encode_lines(records)
    ends = [i + 1 for i, byte in enumerate(data[:-1]) if byte == 10]
    cuts = sorted(rng.sample(ends, min(len(ends), rng.choice([0, 1, 7]))))
    points = [(0, 10 + seed)] + [(cut, 1000 + cut) for cut in cuts]
    summary = tracefile.PartSummary()
    skeleton, locators = skeleton_of(list(verbatim), records)(seed, data, points, summary)
    assert (skeleton, locators) == _expected(verbatim, records, data, seed, points)
    assert summary.span_count == sum(isinstance(r, SpanLine) for r in records)
