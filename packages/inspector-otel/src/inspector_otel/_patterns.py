"""Subscribers for mcp-agent's workflow patterns: a ``workflow.run`` span per pattern run and its structure.

A pattern run is a ``before_workflow_run``/``after_workflow_run`` pair whose emitter passes ``workflow_type`` (the
pattern: ``orchestrator``, ``router``, ``parallel``, ``evaluator_optimizer``, ``swarm``, ``intent_classifier``,
``deep_orchestrator``). Unlike a ``Workflow`` run (whose work goes on in a task of its own), both hooks come from the
task running the pattern, so the span is an operation span: current in between, parent of the members' spans.
``workflow_state(workflow, name, state)`` sets ``mcp.result.<name>_json`` on the innermost pattern span (each report
replaces the previous one: the last is the pattern's final structure).
"""

from __future__ import annotations

from typing import Any

from ._attrs import put, set_json, set_value
from ._spans import Operations, describe, record_error

PATTERN_OP = "pattern"


class PatternSubscribers:
    """Mixin of ``Subscribers``: needs ``self.ops``; called by the workflow subscribers for pattern runs."""

    ops: Operations

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
        set_json(span, f"mcp.result.{name}_json", state)
