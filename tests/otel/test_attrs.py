"""``_attrs.put``: the fast attribute store keeps every rule of the SDK's ``set_attribute``."""

from __future__ import annotations

import logging

from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.trace import NonRecordingSpan, SpanContext

from inspector_otel._attrs import put


def test_put_on_a_live_span_is_what_set_attribute_gives():
    tracer = TracerProvider().get_tracer("t")
    with tracer.start_as_current_span("fast") as fast, tracer.start_as_current_span("api") as api:
        for key, value in {"s": "text", "b": True, "i": 3, "f": 1.5}.items():
            put(fast, key, value)
            api.set_attribute(key, value)
        put(fast, "s", "again")  # overwriting an existing key
        api.set_attribute("s", "again")
    assert dict(fast.attributes) == dict(api.attributes)


def test_put_leaves_non_scalars_to_the_sdk_which_cleans_them():
    tracer = TracerProvider().get_tracer("t")
    with tracer.start_as_current_span("s") as span:
        put(span, "seq", ["a", "b"])
    assert span.attributes["seq"] == ("a", "b")


def test_put_respects_the_sdk_limits():
    cut = TracerProvider(span_limits=SpanLimits(max_attribute_length=4)).get_tracer("t")
    with cut.start_as_current_span("s") as span:
        put(span, "a", "abcdefgh")  # cut by the value-length limit, as set_attribute would
    assert dict(span.attributes) == {"a": "abcd"}
    few = TracerProvider(span_limits=SpanLimits(max_span_attributes=2)).get_tracer("t")
    with few.start_as_current_span("s") as span:
        put(span, "a", 0)
        put(span, "b", 1)
        put(span, "b", 11)  # an existing key is replaced even when full
        put(span, "c", 2)  # over the count limit: the SDK drops the oldest
    assert dict(span.attributes) == {"b": 11, "c": 2}


def test_put_on_an_ended_or_non_recording_span_changes_nothing(caplog):
    tracer = TracerProvider().get_tracer("t")
    with tracer.start_as_current_span("s") as span:
        pass
    with caplog.at_level(logging.WARNING):
        put(span, "late", "x")
    assert "late" not in span.attributes
    put(NonRecordingSpan(SpanContext(1, 2, is_remote=False)), "k", "v")  # no error, nothing recorded
