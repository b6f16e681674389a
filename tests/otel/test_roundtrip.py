"""Hypothesis: spans with arbitrary names, attributes, events and times read back from the file unchanged."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_hooks import context
from inspector_otel import TraceFileProcessor
from inspector_otel.testing import read_session

_keys = st.text(min_size=1, max_size=20)
_scalars = st.one_of(
    st.text(max_size=200),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)
_values = st.one_of(
    _scalars,
    st.lists(st.text(max_size=20), max_size=5),
    st.lists(st.integers(min_value=-(2**31), max_value=2**31), max_size=5),
)
_times = st.integers(min_value=0, max_value=4_000_000_000 * 10**9)


def _iso(ns: int) -> str:
    dt = datetime.fromtimestamp(ns // 10**9, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{(ns % 10**9) // 1000:06d}Z"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(min_size=1, max_size=60),
    attributes=st.dictionaries(_keys, _values, max_size=8),
    start=_times,
    duration=st.integers(min_value=0, max_value=10**12),
    event=st.text(max_size=30),
)
def test_span_roundtrip(provider, tmp_path_factory, name, attributes, start, duration, event):
    directory = tmp_path_factory.mktemp("rt")
    processor = TraceFileProcessor(directory, linger=0)
    provider.add_span_processor(processor.link())
    with context.bind("roundtrip-1"):
        span = provider.get_tracer("t").start_span(name, start_time=start)
        span.set_attributes(attributes)
        span.add_event(event, {"k": "v"}, timestamp=start)
        span.end(end_time=start + duration)
    processor.shutdown()
    spans = [r for r in read_session(directory, "roundtrip-1") if r["type"] == "span"]
    assert len(spans) == 1
    got = spans[0]
    assert got["name"] == name
    expected = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in attributes.items()}
    expected["session.id"] = "roundtrip-1"
    assert got["attributes"] == expected
    assert got["start_time"] == _iso(start)
    assert got["end_time"] == _iso(start + duration)
    assert got["events"] == [{"name": event, "time": _iso(start), "attributes": {"k": "v"}}]
