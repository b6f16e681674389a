"""LLM prompts and responses as MCP messages: ``[{"role", "content": [{"type": "text", "text"}, ...]}]``.

Accepts what mcp-agent 0.2.6 passes around: a str, provider message dicts (OpenAI, Anthropic), pydantic
messages (``PromptMessageMultipart``, provider SDK responses), MCP ``PromptMessage``, or lists of them.
Content items are kept when they already have a ``type`` (text, image, resource, tool_use, tool_result...);
OpenAI ``tool_calls`` become ``tool_use`` items.
"""

from __future__ import annotations

import json
from typing import Any


def _as_plain(obj: Any) -> Any:
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        try:
            return dump(mode="json", exclude_none=True)
        except Exception:
            return obj
    return obj


def _content_items(content: Any) -> list[Any]:
    content = _as_plain(content)
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if isinstance(content, dict):
        return [_item(content)]
    if isinstance(content, (list, tuple)):
        return [_item(_as_plain(c)) for c in content]
    return [{"type": "text", "text": str(content)}]


def _item(item: Any) -> Any:
    if isinstance(item, str):
        return {"type": "text", "text": item}
    if isinstance(item, dict) and "type" not in item and "text" in item:
        return {"type": "text", **item}
    return item


def _message(obj: Any, role: str) -> dict[str, Any]:
    if isinstance(obj, str):
        return {"role": role, "content": [{"type": "text", "text": obj}]}
    plain = _as_plain(obj)
    if not isinstance(plain, dict):
        return {"role": role, "content": [{"type": "text", "text": str(plain)}]}
    if "role" not in plain and "content" not in plain:
        # structured output (generate_structured's pydantic model): the object itself, as JSON text
        return {"role": role, "content": [{"type": "text", "text": json.dumps(plain, default=str, ensure_ascii=False)}]}
    message: dict[str, Any] = {"role": plain.get("role") or role, "content": _content_items(plain.get("content"))}
    for call in plain.get("tool_calls") or ():
        call = _as_plain(call)
        if not isinstance(call, dict):
            continue
        fn = call.get("function") or {}
        arguments = fn.get("arguments")
        try:
            parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
        except ValueError:
            parsed = arguments
        message["content"].append({"type": "tool_use", "id": call.get("id"), "name": fn.get("name"), "input": parsed})
    if plain.get("tool_call_id"):
        message["tool_call_id"] = plain["tool_call_id"]
    if plain.get("stop_reason") or plain.get("finish_reason"):
        message["stop_reason"] = plain.get("stop_reason") or plain.get("finish_reason")
    return message


def to_messages(value: Any, *, role: str = "user") -> list[dict[str, Any]]:
    """A prompt (``role="user"``) or a response (``role="assistant"``) as a list of MCP messages.

    ``role`` is used where a message does not say its own (a plain string, structured output). Never raises:
    unknown shapes become text.
    """
    try:
        if value is None:
            return []
        if isinstance(value, (list, tuple)):
            return [_message(v, role) for v in value]
        return [_message(value, role)]
    except Exception:
        return [{"role": role, "content": [{"type": "text", "text": f"<unserializable: {type(value).__name__}>"}]}]


def stop_reason(messages: list[dict[str, Any]]) -> str | None:
    """The stop reason of the last message that has one (Anthropic ``stop_reason``, OpenAI ``finish_reason``)."""
    for message in reversed(messages):
        reason = message.get("stop_reason")
        if isinstance(reason, str):
            return reason
    return None
