"""Subscribers for mcp-agent's workflow patterns: a ``workflow.run`` span per pattern run and its structure.

A pattern run is a ``before_workflow_run``/``after_workflow_run`` pair whose emitter passes ``workflow_type`` (the
pattern: ``orchestrator``, ``router``, ``parallel``, ``evaluator_optimizer``, ``swarm``, ``intent_classifier``,
``deep_orchestrator``). Unlike a ``Workflow`` run (whose work goes on in a task of its own), both hooks come from the
task running the pattern, so the span is an operation span: current in between, parent of the members' spans.
``workflow_state(workflow, name, state)`` sets ``mcp.result.<name>_json`` on the innermost pattern span (each report
replaces the previous one: the last is the pattern's final structure).

Links: the ``agent.call`` and ``tool.call`` spans begun inside a pattern run are noted in order (``note_member``), and
the rows of its structure get the ``span_id`` of the span that did their work (an orchestrator task → the n-th call
of its agent; an evaluator iteration → the n-th call of the evaluator, its response → of the optimizer; a fan-out
member → its agent's call; a swarm hand-off → the n-th function tool call), so a visualizer can open that span.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from opentelemetry.trace import Span

from ._attrs import put, set_json, set_value
from ._spans import Operations, describe, record_error

PATTERN_OP = "pattern"


class PatternSubscribers:
    """Mixin of ``Subscribers``: needs ``self.ops``; called by the workflow subscribers for pattern runs."""

    ops: Operations
    _members: dict[int, list[tuple[str, str, str]]]  # pattern span id → (kind, name, span id hex) in start order

    def note_member(self, kind: str, name: Any, span: Span) -> None:
        """An ``agent.call`` (kind ``agent``) or function ``tool.call`` (kind ``function``) began: note it under the
        pattern run it belongs to."""
        pattern = self.ops.current(PATTERN_OP)
        if pattern is None or not isinstance(name, str):
            return
        members = self.__dict__.setdefault("_members", {})
        members.setdefault(pattern.get_span_context().span_id, []).append(
            (kind, name, format(span.get_span_context().span_id, "016x"))
        )

    def pattern_table(self) -> dict[str, Any]:
        """Hook name → subscriber, for the pattern hooks (the pattern runs come through the workflow-run table)."""
        return {"workflow_state": self.on_workflow_state}

    def begin_pattern(self, workflow: Any, workflow_type: str, inputs: Any) -> None:
        span = self.ops.begin(PATTERN_OP, "workflow.run")
        put(span, "mcp.workflow.type", workflow_type)
        put(span, "mcp.workflow.class", type(workflow).__name__)
        name = describe(workflow, "name") or describe(describe(workflow, "agent"), "name")
        set_value(span, "gen_ai.workflow.name", str(name) if name else type(workflow).__name__)
        set_value(span, "mcp.workflow.id", str(name) if name else None)
        put(span, "gen_ai.operation.name", "invoke_workflow")
        put(span, "openinference.span.kind", "CHAIN")
        if inputs is not None:
            set_json(span, "mcp.workflow.input_json", inputs, also=("input.value",))
            put(span, "input.mime_type", "application/json")

    def end_pattern(self, result: Any = None, exc: Any = None) -> None:
        span = self.ops.current(PATTERN_OP)
        if span is None:
            return
        self.__dict__.get("_members", {}).pop(span.get_span_context().span_id, None)
        if exc is not None:
            record_error(span, exc)
            self.ops.end(PATTERN_OP, error=str(exc) or type(exc).__name__)
            return
        set_json(span, "mcp.workflow.output_json", result, also=("output.value",))
        put(span, "output.mime_type", "application/json")
        put(span, "mcp.status.code", "ok")
        self.ops.end(PATTERN_OP)

    def on_workflow_state(self, *, name: Any = None, state: Any = None, **_: Any) -> None:
        span = self.ops.current(PATTERN_OP)
        if span is None or not isinstance(name, str) or not name.isidentifier():
            return
        members = self.__dict__.get("_members", {}).get(span.get_span_context().span_id, [])
        if isinstance(state, dict) and members:
            link = _LINKS.get(name)
            if link is not None:
                link(state, members)
        set_json(span, f"mcp.result.{name}_json", state)


class _Claims:
    """The member spans of one kind and name, handed out in start order."""

    def __init__(self, members: list[tuple[str, str, str]]) -> None:
        self.by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        for kind, name, span_id in members:
            self.by_key[(kind, name)].append(span_id)
        self.used: dict[tuple[str, str], int] = defaultdict(int)

    def next(self, kind: str, name: Any) -> str | None:
        key = (kind, str(name))
        found = self.by_key.get(key, [])
        index = self.used[key]
        if index >= len(found):
            return None
        self.used[key] = index + 1
        return found[index]

    def nth(self, kind: str, n: int) -> str | None:
        same = [span_id for (k, _), ids in self.by_key.items() if k == kind for span_id in ids]
        return same[n] if n < len(same) else None


def _link_plan(state: dict[str, Any], members: list[tuple[str, str, str]]) -> None:
    claims = _Claims(members)
    for step in state.get("steps") or ():
        for task in step.get("tasks") or ():
            if task.get("status") not in (None, "pending", "not_run"):
                task["span_id"] = claims.next("agent", task.get("agent"))


def _link_evaluation(state: dict[str, Any], members: list[tuple[str, str, str]]) -> None:
    claims = _Claims(members)
    for item in state.get("iterations") or ():
        item["response_span_id"] = claims.next("agent", state.get("optimizer"))
        item["span_id"] = claims.next("agent", state.get("evaluator"))


def _link_parallel(state: dict[str, Any], members: list[tuple[str, str, str]]) -> None:
    claims = _Claims(members)
    for member in state.get("fan_out") or ():
        if member.get("kind") == "agent":
            member["span_id"] = claims.next("agent", member.get("name"))
    fan_in = state.get("fan_in")
    if isinstance(fan_in, dict) and fan_in.get("kind") == "agent":
        fan_in["span_id"] = claims.next("agent", fan_in.get("name"))


def _link_handoffs(state: dict[str, Any], members: list[tuple[str, str, str]]) -> None:
    functions = [span_id for kind, _, span_id in members if kind == "function"]
    for index, handoff in enumerate(state.get("handoffs") or ()):
        handoff["span_id"] = functions[index] if index < len(functions) else None


_LINKS = {
    "plan": _link_plan,
    "evaluation": _link_evaluation,
    "parallel": _link_parallel,
    "handoffs": _link_handoffs,
}
