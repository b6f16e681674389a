"""What a pattern run is while it runs: the pattern classes and names, the run in the current context, publishing its
structure through ``workflow_state``, and the short texts the states hold (see ``_patterns``)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from inspector_hooks import hooks

#: (module, class) → the ``mcp.workflow.type`` of its runs (the upstream design's names)
PATTERNS: dict[tuple[str, str], str] = {
    ("mcp_agent.workflows.orchestrator.orchestrator", "Orchestrator"): "orchestrator",
    ("mcp_agent.workflows.deep_orchestrator.orchestrator", "DeepOrchestrator"): "deep_orchestrator",
    ("mcp_agent.workflows.parallel.parallel_llm", "ParallelLLM"): "parallel",
    ("mcp_agent.workflows.evaluator_optimizer.evaluator_optimizer", "EvaluatorOptimizerLLM"): "evaluator_optimizer",
    ("mcp_agent.workflows.router.router_base", "Router"): "router",
    ("mcp_agent.workflows.swarm.swarm", "Swarm"): "swarm",
    ("mcp_agent.workflows.intent_classifier.intent_classifier_base", "IntentClassifier"): "intent_classifier",
}

#: the ``workflow_state`` name each pattern reports its structure under (``mcp.result.<name>_json``)
STATE_NAMES: dict[str, str] = {
    "orchestrator": "plan",
    "deep_orchestrator": "plan",
    "router": "router_decision",
    "evaluator_optimizer": "evaluation",
    "parallel": "parallel",
    "swarm": "handoffs",
    "intent_classifier": "intent_classification",
}

MAX_TEXT = 4000  # characters of a response kept in a state (the full text is on the member's own spans)

_classes: dict[type, str] = {}
_by_type: dict[type, str | None] = {}  # every class asked about so far


@dataclass
class _Run:
    workflow: Any
    kind: str
    state: dict[str, Any] = field(default_factory=dict)
    steps: dict[int, dict[str, Any]] = field(default_factory=dict)  # orchestrator: id(step) → its entry
    scratch: dict[str, Any] = field(default_factory=dict)


_run: ContextVar[_Run | None] = ContextVar("inspector_pattern_run", default=None)


def pattern_type(obj: Any) -> str | None:
    """The pattern name of ``obj``'s class (a subclass of a ``PATTERNS`` class), or None."""
    return class_pattern_type(type(obj))


def class_pattern_type(cls: type) -> str | None:
    """The pattern name of ``cls`` (a subclass of a ``PATTERNS`` class), or None."""
    try:
        return _by_type[cls]
    except KeyError:
        pass
    found = next((kind for pattern, kind in _classes.items() if issubclass(cls, pattern)), None)
    _by_type[cls] = found
    return found


def _any_subscriber() -> bool:
    return bool(hooks.before_workflow_run or hooks.after_workflow_run or hooks.workflow_state)


def _current(workflow: Any) -> _Run | None:
    run = _run.get()
    return run if run is not None and run.workflow is workflow else None


async def _publish(run: _Run) -> None:
    name = STATE_NAMES[run.kind]
    state = run.state.get(name)
    if state is not None and hooks.workflow_state:
        await hooks.workflow_state.aemit(workflow=run.workflow, name=name, state=_snapshot(state))


def _snapshot(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snapshot(v) for v in value]
    return value


def text_of(value: Any, limit: int = MAX_TEXT) -> str | None:
    """A short text of a generation result (a str, provider messages, or a list of them)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (list, tuple)):
        text = "\n".join(t for t in (text_of(v, limit) for v in value) if t)
    else:
        content = getattr(value, "content", None)
        if content is None and hasattr(value, "content"):
            text = ""  # a message with tool calls only
        elif isinstance(content, str):
            text = content
        elif isinstance(content, list):
            text = "\n".join(str(getattr(b, "text", "") or "") for b in content if getattr(b, "text", None))
        elif hasattr(value, "model_dump_json"):
            text = value.model_dump_json()
        else:
            text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _name_of(obj: Any) -> str:
    if isinstance(obj, str):
        return obj
    return str(getattr(obj, "name", None) or getattr(obj, "__name__", None) or type(obj).__name__)
