"""Property tests of every parser that takes outside input: Range, session ids, JSON bodies, Last-Event-ID, the Host
header, and search queries. Each answers a value or its own "bad input" error (a 4xx), never anything else."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_gateway._jsonin import MAX_DEPTH, BadJSON, decode_body
from inspector_gateway.errors import InvalidSessionId
from inspector_gateway.events.sse import _last_event_id
from inspector_gateway.routes._search import parse_search_query
from inspector_gateway.routes._trace import MalformedRange, RangeNotSatisfiable, parse_range
from inspector_gateway.security import _host_name, validate_session_id

DIGITS = st.text("0123456789", max_size=30) | st.text("0123456789", min_size=4000, max_size=5000)
SIZES = st.integers(0, 2**63)


@given(header=st.text(max_size=200) | st.builds(lambda a, b: f"bytes={a}-{b}", DIGITS, DIGITS), size=SIZES)
@settings(max_examples=200)
def test_range_is_a_slice_of_the_file_or_a_range_error(header, size):
    try:
        got = parse_range(header, size)
    except (MalformedRange, RangeNotSatisfiable):
        return
    if got is not None:
        first, last = got
        assert 0 <= first <= last < size


@given(first=st.integers(0, 10**30), last=st.integers(0, 10**30) | st.none(), size=st.integers(1, 10**12))
def test_range_numbers_of_any_size_are_clamped_like_small_ones(first, last, size):
    header = f"bytes={first}-{'' if last is None else last}"
    try:
        got = parse_range(header, size)
    except MalformedRange:
        assert last is not None
        assert last < first
        return
    except RangeNotSatisfiable:
        assert first >= size
        return
    assert got == (first, size - 1 if last is None else min(last, size - 1))


@given(st.text(max_size=200))
def test_session_ids_are_the_pattern_or_refused(value):
    try:
        assert validate_session_id(value) == value
    except InvalidSessionId:
        assert re.fullmatch(r"[A-Za-z0-9_-]{6,128}", value) is None
    else:
        assert re.fullmatch(r"[A-Za-z0-9_-]{6,128}", value)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@given(st.binary(max_size=2000))
def test_any_body_bytes_decode_or_are_bad_json(data):
    message = ""
    try:
        decode_body(data)
    except BadJSON as exc:
        message = str(exc)
    assert message == "" or message.startswith("the body is")


@given(JSON_VALUES)
def test_json_bodies_round_trip(value):
    assert decode_body(json.dumps(value).encode()) == value


@given(depth=st.integers(1, 3000), opener=st.sampled_from(["[", '{"a":']))
@settings(max_examples=60)
def test_nesting_past_the_cap_is_refused_and_below_it_accepted(depth, opener):
    closer = "]" if opener == "[" else "}"
    body = (opener * depth + "1" + closer * depth).encode()
    if depth <= MAX_DEPTH:
        assert decode_body(body) is not None
    else:
        with pytest.raises(BadJSON, match="nested deeper"):
            decode_body(body)


@given(header=st.binary(max_size=60) | st.none(), query=st.binary(max_size=60))
def test_last_event_id_is_a_non_negative_int_or_none(header, query):
    headers = [] if header is None else [(b"last-event-id", header)]
    got = _last_event_id({"headers": headers, "query_string": b"last_event_id=" + query})
    assert got is None or (isinstance(got, int) and got >= 0)


@given(st.text(max_size=80))
def test_host_names_only_pass_whole(value):
    name = _host_name(value)
    if name in {"localhost", "127.0.0.1", "[::1]", "::1"}:
        stripped = value.strip().lower()
        assert re.fullmatch(r"(localhost|127\.0\.0\.1|\[::1\]|::1)(:[0-9]{1,5})?", stripped) or stripped == "::1"


PARAMS = st.dictionaries(
    st.sampled_from(["q", "limit", "offset", "session", "kind", "status", "since", "until"]),
    st.text(max_size=40) | st.sampled_from(["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "9" * 5000]),
)


@given(PARAMS)
@settings(max_examples=300)
def test_search_queries_parse_or_are_bad_params(params):
    try:
        query = parse_search_query(params)
    except ValueError as exc:
        refused = exc
    else:
        assert 1 <= query.limit <= 500
        return
    assert getattr(refused, "code", "").startswith("invalid_")


@given(st.text(max_size=40))
@settings(max_examples=300)
def test_search_kind_is_accepted_exactly_when_the_contract_pattern_matches(kind):
    # docs/openapi.yaml: kind's pattern is ^[A-Za-z0-9_]{1,32}$ (schemathesis found "_" refused as a valid value)
    if kind and re.fullmatch(r"[A-Za-z0-9_]{1,32}", kind) is None:
        with pytest.raises(ValueError, match="kind must be") as refused:
            parse_search_query({"q": "x", "kind": kind})
        assert refused.value.code == "invalid_kind"  # type: ignore[attr-defined]
    else:
        assert parse_search_query({"q": "x", "kind": kind}).kind == (kind or None)
