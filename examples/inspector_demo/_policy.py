"""What a scripted LLM says: reply types, the turn a policy sees, and ready-made policies.

A *policy* is a function ``policy(turn) -> Reply`` (sync or async). It sees the whole conversation so far,
the tools the agent offers and, for ``generate_structured``, the pydantic model the caller wants; it answers
with text, with tool calls, or with a structured object. Everything here is deterministic.
"""

from __future__ import annotations

import enum
import json
import logging
import re
import types
import typing
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from pydantic import BaseModel

logger = logging.getLogger(__name__)

Message = dict[str, Any]
"""One chat message, OpenAI-shaped: ``{"role", "content", "tool_calls"?, "tool_call_id"?, "name"?}``."""


class ChatMessage(dict[str, Any]):
    """A chat message dict whose ``str()`` is its text (workflow classes such as FanIn format replies with str)."""

    def __str__(self) -> str:
        content = self.get("content")
        if content:
            return str(content)
        calls = self.get("tool_calls") or []
        return "calls " + ", ".join(str(c.get("function", {}).get("name")) for c in calls) if calls else ""


@dataclass(frozen=True)
class ToolCall:
    """Ask the agent to call ``name`` (the namespaced tool name, e.g. ``demo_add``) with ``arguments``."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Text:
    """Finish the turn with this assistant text."""

    text: str


@dataclass(frozen=True)
class ToolCalls:
    """Request these tool calls; the LLM runs them and asks the policy again."""

    calls: tuple[ToolCall, ...]


@dataclass(frozen=True)
class Structured:
    """Finish a ``generate_structured`` turn with this object (a model instance, a dict or a JSON string)."""

    value: BaseModel | dict[str, Any] | str


Reply = Text | ToolCalls | Structured | ToolCall | str | BaseModel | Sequence[ToolCall]
"""What a policy may return; bare values are normalised (``str`` → Text, ``ToolCall`` → one call...)."""


@dataclass(frozen=True)
class Turn:
    """What the policy sees each time the LLM is asked to speak."""

    llm_name: str
    instruction: str | None
    messages: tuple[Message, ...]
    tool_names: tuple[str, ...]
    response_model: type[BaseModel] | None
    iteration: int
    """Index of this reply within one generate call (0 first, +1 after each round of tool calls)."""
    call_index: int
    """How many generate calls this LLM instance had before this one."""

    @property
    def last(self) -> Message | None:
        """The newest message, or None for an empty conversation."""
        return self.messages[-1] if self.messages else None

    @property
    def last_user_text(self) -> str:
        """The text of the newest user message ('' if none)."""
        for message in reversed(self.messages):
            if message.get("role") == "user":
                return str(message.get("content") or "")
        return ""

    @property
    def tool_results(self) -> list[str]:
        """Texts of the tool results since the newest user message."""
        results: list[str] = []
        for message in reversed(self.messages):
            if message.get("role") == "user":
                break
            if message.get("role") == "tool":
                results.append(str(message.get("content") or ""))
        results.reverse()
        return results


Policy = Callable[[Turn], "Reply | Awaitable[Reply]"]


def normalise(reply: Reply) -> Text | ToolCalls | Structured:
    """Turn whatever a policy returned into one of the three reply classes."""
    if isinstance(reply, (Text, ToolCalls, Structured)):
        return reply
    if isinstance(reply, str):
        return Text(reply)
    if isinstance(reply, ToolCall):
        return ToolCalls((reply,))
    if isinstance(reply, BaseModel):
        return Structured(reply)
    calls = tuple(reply)
    if all(isinstance(call, ToolCall) for call in calls) and calls:
        return ToolCalls(calls)
    raise TypeError(f"a scripted policy returned {reply!r}, which is not a reply")


class ScriptPolicy:
    """Replies from a fixed list, in order; when the list is used up, falls back to ``then``."""

    def __init__(self, steps: Sequence[Reply], then: Policy | None = None) -> None:
        self._steps = list(steps)
        self._next = 0
        self._then: Policy = then or default_policy

    def __call__(self, turn: Turn) -> Reply | Awaitable[Reply]:
        if self._next < len(self._steps):
            step = self._steps[self._next]
            self._next += 1
            return step
        return self._then(turn)


def default_policy(turn: Turn) -> Reply:
    """Answer any turn sensibly: valid objects for mcp-agent's workflow models, short text otherwise."""
    if turn.response_model is not None:
        return Structured(build_structured(turn.response_model, turn))
    results = turn.tool_results
    if results:
        return Text("tool result was: " + "; ".join(results))
    return Text(f"[{turn.llm_name}] {turn.last_user_text[:120]}".strip())


def build_structured(model: type[BaseModel], turn: Turn) -> BaseModel:
    """A valid instance of ``model`` for this turn; knows the orchestrator, router and evaluator models."""
    builder = _KNOWN.get(model.__name__)
    if builder is not None:
        try:
            return model.model_validate(builder(turn))
        except Exception:  # the model changed shape: fall back to the generic builder
            logger.debug("known builder for %s did not fit", model.__name__, exc_info=True)
    return model.model_validate(example_value(model))


def _plan(turn: Turn) -> dict[str, Any]:
    text = "\n".join(str(m.get("content") or "") for m in turn.messages)
    if re.search(r"^Step: ", text, re.MULTILINE):
        return {"steps": [], "is_complete": True}
    agents = _agent_names(text)
    tasks = [{"description": f"{name}: work on the objective", "agent": name} for name in agents[:2]]
    return {"steps": [{"description": "Ask the agents", "tasks": tasks}], "is_complete": not tasks}


def _next_step(turn: Turn) -> dict[str, Any]:
    plan = _plan(turn)
    if plan["is_complete"]:
        return {"description": "done", "tasks": [], "is_complete": True}
    step: dict[str, Any] = plan["steps"][0]
    return {**step, "is_complete": False}


def _agent_names(text: str) -> list[str]:
    names: list[str] = []
    for match in re.finditer(r"Agent Name:\s*(.+)", text):
        name = match.group(1).strip()
        if name and name not in names:
            names.append(name)
    return names


def _route(turn: Turn) -> dict[str, Any]:
    text = "\n".join(str(m.get("content") or "") for m in turn.messages)
    names = re.findall(r"(?:Server|Agent|Function) Category:\s*(.+)", text)
    if not names:
        names = re.findall(r"Name:\s*(.+)", text)
    asked = re.findall(r"^Request:\s*(.+)$", text, re.MULTILINE)
    request = (asked[-1] if asked else turn.last_user_text).lower()
    chosen = next((n.strip() for n in names if n.strip().lower() in request), names[0].strip() if names else "")
    return {"categories": [{"category": chosen, "confidence": "high", "reasoning": "scripted choice"}]}


def _evaluation(turn: Turn) -> dict[str, Any]:
    if turn.call_index > 0:
        return {"rating": 3, "feedback": "good enough", "needs_improvement": False, "focus_areas": []}
    return {"rating": 1, "feedback": "add more detail", "needs_improvement": True, "focus_areas": ["detail"]}


_KNOWN: dict[str, Callable[[Turn], dict[str, Any]]] = {
    "Plan": _plan,
    "NextStep": _next_step,
    "StructuredResponse": _route,
    "EvaluationResult": _evaluation,
}


def example_value(annotation: Any) -> Any:
    """A JSON-able example value that validates against ``annotation`` (models, enums, literals, containers)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return args[0]
    if origin in (Union, types.UnionType):
        non_none = [a for a in args if a is not type(None)]
        return example_value(non_none[0]) if non_none else None
    if origin in (list, tuple, set, frozenset, Sequence):
        return []
    if origin is dict:
        return {}
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return {
                name: example_value(info.annotation)
                for name, info in annotation.model_fields.items()
                if info.is_required()
            }
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation)).value
        simple: dict[type, Any] = {bool: False, int: 0, float: 0.0, str: "scripted"}
        for kind, value in simple.items():
            if issubclass(annotation, kind):
                return value
    return None


def structured_json(value: BaseModel | dict[str, Any] | str) -> str:
    """The JSON text of a structured reply."""
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    if isinstance(value, str):
        return value
    return json.dumps(value)
