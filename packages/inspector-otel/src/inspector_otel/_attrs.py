"""Safe attribute values: JSON text for ``*_json`` keys, the 30,720-character cut, placeholders, never a raise."""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

import msgspec
from opentelemetry.trace import Span

logger = logging.getLogger(__name__)

MAX_ATTRIBUTE_CHARS = 30 * 1024  # 30,720 characters (upstream SpanMeta.MAX_ATTRIBUTE_SIZE)
TRUNCATED_SUFFIX = "_truncated"


def placeholder(value: object) -> str:
    """What a value that cannot be serialized becomes."""
    return f"<unserializable: {type(value).__name__}>"


def _enc_hook(obj: Any) -> Any:
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json")
        except Exception:
            return placeholder(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name, None) for f in dataclasses.fields(obj)}
    if isinstance(obj, BaseException):
        return f"{type(obj).__name__}: {obj}"
    return placeholder(obj)


_ENCODER = msgspec.json.Encoder(enc_hook=_enc_hook)


def to_json_text(value: Any) -> str:
    """JSON text of ``value``; pydantic models are dumped, anything unknown becomes a placeholder string."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        return _ENCODER.encode(value).decode("utf-8")
    except Exception:
        pass
    try:
        return json.dumps(value, ensure_ascii=False, default=_enc_hook)
    except Exception:
        return json.dumps(placeholder(value))


def cut(text: str, limit: int = MAX_ATTRIBUTE_CHARS) -> tuple[str, bool]:
    """The first ``limit`` characters of ``text`` and whether it was cut."""
    if len(text) > limit:
        return text[:limit], True
    return text, False


_SCALARS = (str, bool, int, float)


def put(span: Span, key: str, value: Any) -> None:
    """``span.set_attribute(key, value)`` for a scalar we produced, without the SDK's per-call lock and re-check.

    On a live SDK span whose attributes have no value-length limit and room left (or already hold ``key``), the
    value goes straight into the span's attribute dict: a subscriber sets dozens of attributes per operation and
    the SDK's ``set_attribute`` costs several times the store itself. Anything else (an ended or non-recording
    span, another SDK, a limit that would cut or drop) takes the public API, which applies its rules.
    """
    attributes = getattr(span, "_attributes", None)
    inner = getattr(attributes, "_dict", None)
    if (
        type(inner) is dict
        and type(value) in _SCALARS
        and getattr(span, "_end_time", 0) is None
        and not getattr(attributes, "_immutable", True)
        and getattr(attributes, "max_value_len", 0) is None
    ):
        maxlen = getattr(attributes, "maxlen", 0)
        if maxlen is None or len(inner) < maxlen or key in inner:
            inner[key] = value
            return
    span.set_attribute(key, value)


def _put_cut(span: Span, key: str, text: str) -> None:
    """``key`` = ``text`` cut at 30,720 characters, with ``<key>_truncated=true`` when it was cut."""
    text, truncated = cut(text)
    put(span, key, text)
    if truncated:
        put(span, key + TRUNCATED_SUFFIX, True)


def set_json(span: Span, key: str, value: Any, *, already_json: bool = False, also: tuple[str, ...] = ()) -> None:
    """Set ``key`` to the JSON text of ``value``, cut at 30,720 characters with ``<key>_truncated=true``.

    ``also``: more keys for the same value (an OpenInference twin such as ``input.value``); it is serialized once.
    """
    try:
        text = value if already_json and isinstance(value, str) else to_json_text(value)
        for name in (key, *also):
            _put_cut(span, name, text)
    except Exception:
        logger.debug("could not set %s", key, exc_info=True)


def set_text(span: Span, key: str, value: Any) -> None:
    """Set a plain string attribute (``str(value)``, cut at the same limit), skipping None."""
    if value is None:
        return
    try:
        _put_cut(span, key, value if isinstance(value, str) else str(value))
    except Exception:
        logger.debug("could not set %s", key, exc_info=True)


def set_value(span: Span, key: str, value: Any) -> None:
    """Set a scalar attribute (bool, int, float or str) when ``value`` is one; anything else is skipped."""
    if isinstance(value, (bool, int, float, str)):
        try:
            put(span, key, value)
        except Exception:
            logger.debug("could not set %s", key, exc_info=True)
