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


def set_json(span: Span, key: str, value: Any, *, already_json: bool = False) -> None:
    """Set ``key`` to the JSON text of ``value``, cut at 30,720 characters with ``<key>_truncated=true``."""
    try:
        text = value if already_json and isinstance(value, str) else to_json_text(value)
        text, truncated = cut(text)
        span.set_attribute(key, text)
        if truncated:
            span.set_attribute(key + TRUNCATED_SUFFIX, True)
    except Exception:
        logger.debug("could not set %s", key, exc_info=True)


def set_text(span: Span, key: str, value: Any) -> None:
    """Set a plain string attribute (``str(value)``, cut at the same limit), skipping None."""
    if value is None:
        return
    try:
        text = value if isinstance(value, str) else str(value)
        text, truncated = cut(text)
        span.set_attribute(key, text)
        if truncated:
            span.set_attribute(key + TRUNCATED_SUFFIX, True)
    except Exception:
        logger.debug("could not set %s", key, exc_info=True)


def set_value(span: Span, key: str, value: Any) -> None:
    """Set a scalar attribute (bool, int, float or str) when ``value`` is one; anything else is skipped."""
    if isinstance(value, (bool, int, float, str)):
        try:
            span.set_attribute(key, value)
        except Exception:
            logger.debug("could not set %s", key, exc_info=True)
