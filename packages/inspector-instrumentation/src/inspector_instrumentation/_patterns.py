"""mcp-agent 0.2.6's workflow patterns: one ``workflow.run`` per pattern run, and each pattern's own structure.

A pattern run emits ``before_workflow_run``/``after_workflow_run``/``error_workflow_run`` with the extra kwargs
``workflow_type`` (the pattern's name in ``PATTERNS``) and ``input``, in the task that runs it (so the spans below
are its children). While it runs, ``workflow_state(workflow, name, state)`` reports its structure each time it
changes, as a JSON-able dict (``STATE_NAMES`` says which name each pattern uses):

* ``orchestrator``/``deep_orchestrator`` → ``plan``: objective, steps with their tasks (agent, status, result);
* ``router`` → ``router_decision``: every candidate route with its score (embedding) or confidence and reasoning
  (LLM), and which were selected;
* ``evaluator_optimizer`` → ``evaluation``: each iteration's response, rating and feedback;
* ``parallel`` → ``parallel``: the fan-out members with their responses, and the fan-in;
* ``swarm`` → ``handoffs``: the agents in the order they took over, and each hand-off;
* ``intent_classifier`` → ``intent_classification``: every intent with its score/confidence, and the selected ones.

The generate methods of the ``AugmentedLLM`` patterns are wrapped by ``_llm`` (which calls ``run_pattern`` for them
instead of emitting LLM hooks); the routers' and classifiers' entry points and the patterns' inner steps are wrapped
here. ``observe_generation`` is called by ``_llm`` after every outer generation, so a pattern sees what its member
LLMs (evaluator, classifier) answered.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from inspector_hooks import hooks

from ._patcher import Patcher, safe

__all__ = ["PATTERNS", "STATE_NAMES", "observe_generation", "pattern_type", "patch_patterns", "run_pattern"]

logger = logging.getLogger(__name__)

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
    cls = type(obj)
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


async def run_pattern(workflow: Any, kind: str, prompt: Any, call: Callable[[], Awaitable[Any]]) -> Any:
    """Run ``call`` as one run of the pattern ``workflow``; a run of the same workflow already going on is joined."""
    if not _any_subscriber() or _current(workflow) is not None:
        return await call()
    run = _Run(workflow, kind)
    token = _run.set(run)
    ctx = getattr(workflow, "context", None)
    try:
        if hooks.before_workflow_run:
            await hooks.before_workflow_run.aemit(workflow=workflow, context=ctx, workflow_type=kind, input=prompt)
        safe("pattern start", _START.get(kind, _nothing), run, prompt)
        await _publish(run)
        try:
            result = await call()
        except BaseException as exc:
            safe("pattern end", _FINISH.get(kind, _nothing), run, None, exc)
            await _publish(run)
            if hooks.error_workflow_run:
                await hooks.error_workflow_run.aemit(workflow=workflow, context=ctx, exc=exc, workflow_type=kind)
            raise
        safe("pattern end", _FINISH.get(kind, _nothing), run, result, None)
        await _publish(run)
        if hooks.after_workflow_run:
            await hooks.after_workflow_run.aemit(workflow=workflow, context=ctx, result=result, workflow_type=kind)
        return result
    finally:
        _run.reset(token)


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


def _nothing(*_: Any) -> None:
    return None


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


# ---- orchestrator -----------------------------------------------------------------------------------------------
def _plan_start(run: _Run, prompt: Any) -> None:
    run.state["plan"] = {
        "objective": text_of(prompt),
        "plan_type": getattr(run.workflow, "plan_type", None),
        "status": "running",
        "iterations": 0,
        "is_complete": False,
        "steps": [],
        "result": None,
    }


def _task_entry(task: Any) -> dict[str, Any]:
    return {
        "description": str(getattr(task, "description", "")),
        "agent": getattr(task, "agent", None),
        "name": getattr(task, "name", None),
        "status": "pending",
        "result": None,
    }


def _plan_arrived(run: _Run, steps: list[Any], is_complete: bool) -> None:
    plan = run.state["plan"]
    plan["iterations"] += 1
    plan["is_complete"] = bool(is_complete)
    kept = [s for s in plan["steps"] if s["status"] != "pending"]
    run.steps = {k: v for k, v in run.steps.items() if v["status"] != "pending"}
    for step in steps:
        entry = {
            "description": str(getattr(step, "description", "")),
            "status": "pending",
            "iteration": plan["iterations"],
            "tasks": [_task_entry(t) for t in getattr(step, "tasks", None) or ()],
            "result": None,
        }
        run.steps[id(step)] = entry
        kept.append(entry)
    plan["steps"] = kept


def _step_entry(run: _Run, step: Any) -> dict[str, Any]:
    entry = run.steps.get(id(step))
    if entry is None:  # a step the planner did not hand us (an override): add it as it runs
        entry = {
            "description": str(getattr(step, "description", "")),
            "status": "pending",
            "iteration": run.state["plan"]["iterations"],
            "tasks": [_task_entry(t) for t in getattr(step, "tasks", None) or ()],
            "result": None,
        }
        run.steps[id(step)] = entry
        run.state["plan"]["steps"].append(entry)
    return entry


def _step_started(run: _Run, step: Any) -> None:
    entry = _step_entry(run, step)
    entry["status"] = "running"
    for task in entry["tasks"]:
        task["status"] = "running"


def _step_finished(run: _Run, step: Any, step_result: Any, exc: BaseException | None) -> None:
    entry = _step_entry(run, step)
    if exc is not None:
        entry["status"] = "failed"
        entry["error"] = str(exc) or type(exc).__name__
        for task in entry["tasks"]:
            task["status"] = "failed"
        return
    entry["status"] = "completed"
    entry["result"] = text_of(getattr(step_result, "result", None))
    results = list(getattr(step_result, "task_results", None) or ())
    for task, done in zip(entry["tasks"], results, strict=False):
        task["status"] = "completed"
        task["result"] = text_of(getattr(done, "result", None))


def _plan_finish(run: _Run, result: Any, exc: BaseException | None) -> None:
    plan = run.state["plan"]
    plan["status"] = "failed" if exc is not None else "completed"
    if exc is not None:
        plan["error"] = str(exc) or type(exc).__name__
    else:
        plan["result"] = text_of(result)
    for step in plan["steps"]:
        if step["status"] == "pending":
            step["status"] = "not_run"
            for task in step["tasks"]:
                task["status"] = "not_run"
        elif step["status"] == "running":
            step["status"] = "failed" if exc is not None else step["status"]


def _deep_plan_finish(run: _Run, result: Any, exc: BaseException | None) -> None:
    """The deep orchestrator keeps each task's status on its plan's Task objects: read them back at the end."""
    plan = run.state["plan"]
    plans = run.scratch.get("plans") or [None]
    entries = [s for s in plan["steps"] if s["iteration"] == plan["iterations"]]
    for entry, step in zip(entries, getattr(plans[-1], "steps", None) or (), strict=False):
        for task_entry, task in zip(entry["tasks"], getattr(step, "tasks", None) or (), strict=False):
            status = getattr(getattr(task, "status", None), "value", None) or getattr(task, "status", None)
            task_entry["status"] = str(status or task_entry["status"])
        statuses = {t["status"] for t in entry["tasks"]}
        entry["status"] = (
            "completed"
            if getattr(step, "completed", False) or statuses == {"completed"}
            else ("failed" if "failed" in statuses else entry["status"])
        )
    queue = getattr(run.workflow, "queue", None)
    for name, record in (getattr(queue, "completed_task_results", None) or {}).items() if queue else ():
        _fill_task(plan, str(name), record)
    _plan_finish(run, result, exc)


def _fill_task(plan: dict[str, Any], name: str, record: Any) -> None:
    for step in plan["steps"]:
        for task in step["tasks"]:
            if task.get("name") == name:
                status = getattr(getattr(record, "status", None), "value", None)
                task["status"] = str(status or task["status"])
                task["result"] = text_of(getattr(record, "output", None))


# ---- evaluator-optimizer ------------------------------------------------------------------------------------------
def _eval_start(run: _Run, prompt: Any) -> None:
    wf = run.workflow
    run.state["evaluation"] = {
        "request": text_of(prompt),
        "optimizer": _name_of(getattr(getattr(wf, "optimizer_llm", None), "agent", None)),
        "evaluator": _name_of(getattr(getattr(wf, "evaluator_llm", None), "agent", None)),
        "min_rating": _rating_name(getattr(wf, "min_rating", None)),
        "max_refinements": getattr(wf, "max_refinements", None),
        "status": "running",
        "iterations": [],
        "best_attempt": None,
        "result": None,
    }


def _rating_name(rating: Any) -> str | None:
    return None if rating is None else str(getattr(rating, "name", rating))


def _eval_observed(run: _Run, llm: Any, result: Any) -> bool:
    wf = run.workflow
    state = run.state["evaluation"]
    if llm is getattr(wf, "optimizer_llm", None):
        run.scratch["response"] = text_of(result)
        return False
    if llm is not getattr(wf, "evaluator_llm", None) or not hasattr(result, "rating"):
        return False
    rating = result.rating
    attempt = len(state["iterations"]) + 1
    state["iterations"].append(
        {
            "attempt": attempt,
            "response": run.scratch.get("response"),
            "rating": _rating_name(rating),
            "rating_value": getattr(rating, "value", None),
            "feedback": getattr(result, "feedback", None),
            "needs_improvement": getattr(result, "needs_improvement", None),
            "focus_areas": list(getattr(result, "focus_areas", None) or ()),
        }
    )
    best = state["best_attempt"]
    values = {i["attempt"]: i["rating_value"] or 0 for i in state["iterations"]}
    if best is None or values[attempt] > values[best]:
        state["best_attempt"] = attempt
    return True


def _eval_finish(run: _Run, result: Any, exc: BaseException | None) -> None:
    state = run.state["evaluation"]
    state["status"] = "failed" if exc is not None else "completed"
    state["result"] = text_of(result)


# ---- routers ------------------------------------------------------------------------------------------------------
def _categories(router: Any) -> list[tuple[str, str, Any]]:
    found: list[tuple[str, str, Any]] = []
    for kind, attr in (
        ("server", "server_categories"),
        ("agent", "agent_categories"),
        ("function", "function_categories"),
    ):
        for name, category in (getattr(router, attr, None) or {}).items():
            found.append((str(name), kind, category))
    return found


def _router_start(run: _Run, prompt: Any) -> None:
    router = run.workflow
    run.state["router_decision"] = {
        "router": "embedding" if hasattr(router, "embedding_model") else "llm",
        "request": text_of(prompt),
        "top_k": None,
        "status": "running",
        "candidates": [
            {"category": name, "kind": kind, "score": None, "confidence": None, "reasoning": None, "selected": False}
            for name, kind, _ in _categories(router)
        ],
        "selected": [],
    }


def _router_observed(run: _Run, llm: Any, result: Any) -> bool:
    if llm is not getattr(run.workflow, "classifier_llm", None) or not hasattr(result, "categories"):
        return False
    state = run.state["router_decision"]
    by_name = {c["category"]: c for c in state["candidates"]}
    for answered in result.categories or ():
        name = str(getattr(answered, "category", ""))
        entry = by_name.get(name)
        if entry is None:  # the LLM named something that is not a category: shown, never selected
            entry = by_name[name] = {"category": name, "kind": "unknown", "score": None, "selected": False}
            state["candidates"].append(entry)
        entry["confidence"] = getattr(answered, "confidence", None)
        entry["reasoning"] = getattr(answered, "reasoning", None)
    return True


def _router_routed(run: _Run, request: Any, top_k: Any, results: Any) -> None:
    state = run.state["router_decision"]
    state["request"] = text_of(request)
    state["top_k"] = top_k if isinstance(top_k, int) else None
    embedding = run.scratch.get("request_embedding")
    if embedding is not None:
        from mcp_agent.workflows.embedding.embedding_base import compute_confidence, compute_similarity_scores

        for name, _, category in _categories(run.workflow):
            vector = getattr(category, "embedding", None)
            if vector is not None:
                score = compute_confidence(compute_similarity_scores(embedding, vector))
                for entry in state["candidates"]:
                    if entry["category"] == name:
                        entry["score"] = float(score)
    selected = [_result_name(r) for r in results or ()]
    state["selected"] = selected
    for rank, name in enumerate(selected):
        for entry in state["candidates"]:
            if entry["category"] == name:
                entry["selected"] = True
                entry["rank"] = rank + 1
                p_score = getattr((results or [])[rank], "p_score", None)
                if entry.get("score") is None and isinstance(p_score, (int, float)):
                    entry["score"] = float(p_score)
    state["candidates"].sort(key=lambda c: (not c["selected"], c.get("rank") or 0, -(c.get("score") or 0.0)))


def _result_name(result: Any) -> str:
    return _name_of(getattr(result, "result", result))


def _router_finish(run: _Run, result: Any, exc: BaseException | None) -> None:
    run.state["router_decision"]["status"] = "failed" if exc is not None else "completed"


# ---- intent classifiers ------------------------------------------------------------------------------------------
def _intent_start(run: _Run, prompt: Any) -> None:
    intents = getattr(run.workflow, "intents", None) or {}
    run.state["intent_classification"] = {
        "classifier": "embedding" if hasattr(run.workflow, "embedding_model") else "llm",
        "request": text_of(prompt),
        "status": "running",
        "intents": [
            {
                "intent": str(name),
                "description": getattr(intent, "description", None),
                "score": None,
                "confidence": None,
                "reasoning": None,
                "selected": False,
            }
            for name, intent in intents.items()
        ],
    }


def _intent_observed(run: _Run, llm: Any, result: Any) -> bool:
    if llm is not getattr(run.workflow, "llm", None) or not hasattr(result, "classifications"):
        return False
    by_name = {i["intent"]: i for i in run.state["intent_classification"]["intents"]}
    for answered in result.classifications or ():
        entry = by_name.get(str(getattr(answered, "intent", "")))
        if entry is not None:
            entry["confidence"] = getattr(answered, "confidence", None)
            entry["reasoning"] = getattr(answered, "reasoning", None)
            score = getattr(answered, "p_score", None)
            entry["score"] = float(score) if isinstance(score, (int, float)) else entry["score"]
    return True


def _intent_finish(run: _Run, result: Any, exc: BaseException | None) -> None:
    state = run.state["intent_classification"]
    state["status"] = "failed" if exc is not None else "completed"
    by_name = {i["intent"]: i for i in state["intents"]}
    for rank, found in enumerate(result or () if exc is None else ()):
        entry = by_name.get(str(getattr(found, "intent", "")))
        if entry is None:
            continue
        entry["selected"] = True
        entry["rank"] = rank + 1
        score = getattr(found, "p_score", None)
        if isinstance(score, (int, float)):
            entry["score"] = float(score)
        for key in ("confidence", "reasoning"):
            if getattr(found, key, None) is not None:
                entry[key] = getattr(found, key)


# ---- parallel ----------------------------------------------------------------------------------------------------
def _parallel_start(run: _Run, prompt: Any) -> None:
    wf = run.workflow
    fan_out = getattr(wf, "fan_out", None)
    members = [{"name": _name_of(a), "kind": "agent"} for a in getattr(fan_out, "agents", None) or ()]
    members += [{"name": _name_of(f), "kind": "function"} for f in getattr(fan_out, "functions", None) or ()]
    fan_in_fn = getattr(wf, "fan_in_fn", None)
    fan_in = getattr(getattr(wf, "fan_in", None), "aggregator_agent", None)
    run.state["parallel"] = {
        "request": text_of(prompt),
        "status": "running",
        "fan_out": [{**m, "status": "pending", "response": None} for m in members],
        "fan_in": {
            "name": _name_of(fan_in_fn if fan_in_fn is not None else fan_in) if (fan_in_fn or fan_in) else None,
            "kind": "function" if fan_in_fn is not None else "agent",
            "status": "pending",
            "result": None,
        },
    }


def _parallel_finish(run: _Run, result: Any, exc: BaseException | None) -> None:
    state = run.state["parallel"]
    state["status"] = "failed" if exc is not None else "completed"
    if exc is None and state["fan_in"]["status"] != "completed":
        state["fan_in"]["status"] = "completed"
        state["fan_in"]["result"] = text_of(result)


# ---- swarm -------------------------------------------------------------------------------------------------------
def _swarm_start(run: _Run, prompt: Any) -> None:
    agent = getattr(run.workflow, "agent", None)
    run.state["handoffs"] = {
        "request": text_of(prompt),
        "status": "running",
        "agents": [_name_of(agent)] if agent is not None else [],
        "handoffs": [],
        "context_variables": dict(getattr(run.workflow, "context_variables", None) or {}),
        "result": None,
    }


def _swarm_finish(run: _Run, result: Any, exc: BaseException | None) -> None:
    state = run.state["handoffs"]
    state["status"] = "failed" if exc is not None else "completed"
    state["result"] = text_of(result)
    state["context_variables"] = {
        str(k): str(v) for k, v in dict(getattr(run.workflow, "context_variables", None) or {}).items()
    }


_START: dict[str, Callable[..., None]] = {
    "orchestrator": _plan_start,
    "deep_orchestrator": _plan_start,
    "evaluator_optimizer": _eval_start,
    "router": _router_start,
    "intent_classifier": _intent_start,
    "parallel": _parallel_start,
    "swarm": _swarm_start,
}
_FINISH: dict[str, Callable[..., None]] = {
    "orchestrator": _plan_finish,
    "deep_orchestrator": _deep_plan_finish,
    "evaluator_optimizer": _eval_finish,
    "router": _router_finish,
    "intent_classifier": _intent_finish,
    "parallel": _parallel_finish,
    "swarm": _swarm_finish,
}
_OBSERVE: dict[str, Callable[[_Run, Any, Any], bool]] = {
    "evaluator_optimizer": _eval_observed,
    "router": _router_observed,
    "intent_classifier": _intent_observed,
}


async def observe_generation(llm: Any, result: Any) -> None:
    """Called after each outer generation: a pattern whose member ``llm`` is records what it answered."""
    run = _run.get()
    if run is None:
        return
    observe = _OBSERVE.get(run.kind)
    if observe is not None and safe("pattern observation", observe, run, llm, result):
        await _publish(run)


# ---- wrappers of the patterns' inner steps ---------------------------------------------------------------------
def _wrap_plan(original: Callable[..., Any]) -> Callable[..., Any]:
    """``Orchestrator._get_full_plan`` (a Plan) and ``_get_next_step`` (a NextStep: one step with is_complete)."""

    @functools.wraps(original)
    async def planned(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = await original(self, *args, **kwargs)
        run = _current(self)
        if run is not None and "plan" in run.state:
            steps = list(getattr(result, "steps", None) or ([] if hasattr(result, "steps") else [result]))
            objective = kwargs.get("objective")
            if objective and not run.state["plan"]["objective"]:
                run.state["plan"]["objective"] = text_of(objective)
            if run.kind == "deep_orchestrator":
                run.scratch.setdefault("plans", []).append(result)
            safe("plan arrived", _plan_arrived, run, steps, bool(getattr(result, "is_complete", False)))
            await _publish(run)
        return result

    return planned


def _wrap_execute_step(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _execute_step(self: Any, step: Any, *args: Any, **kwargs: Any) -> Any:
        run = _current(self)
        if run is None or "plan" not in run.state:
            return await original(self, step, *args, **kwargs)
        safe("step started", _step_started, run, step)
        await _publish(run)
        try:
            result = await original(self, step, *args, **kwargs)
        except BaseException as exc:
            safe("step failed", _step_finished, run, step, None, exc)
            await _publish(run)
            raise
        safe("step finished", _step_finished, run, step, result, None)
        await _publish(run)
        return result

    return _execute_step


def _wrap_route(original: Callable[..., Any]) -> Callable[..., Any]:
    """``LLMRouter._route_with_llm`` / ``EmbeddingRouter._route_with_embedding``: the routing decision itself."""

    @functools.wraps(original)
    async def route(self: Any, request: Any, top_k: int = 1, *args: Any, **kwargs: Any) -> Any:
        async def call() -> Any:
            results = await original(self, request, top_k, *args, **kwargs)
            run = _current(self)
            if run is not None and "router_decision" in run.state:
                safe("routing decision", _router_routed, run, request, top_k, results)
                await _publish(run)
            return results

        return await run_pattern(self, "router", request, call)

    return route


def _wrap_compute_embedding(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def _compute_embedding(self: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
        result = await original(self, data, *args, **kwargs)
        run = _current(self)
        if run is not None:
            run.scratch["request_embedding"] = result
        return result

    return _compute_embedding


def _wrap_classify(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def classify(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        return await run_pattern(self, "intent_classifier", request, lambda: original(self, request, *args, **kwargs))

    return classify


def _member_of(run: _Run, member: Any, attr: str) -> bool:
    return getattr(run.workflow, attr, None) is member


def _wrap_fan_out(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def generate(self: Any, *args: Any, **kwargs: Any) -> Any:
        run = _run.get()
        if run is None or run.kind != "parallel" or not _member_of(run, self, "fan_out"):
            return await original(self, *args, **kwargs)
        state = run.state["parallel"]
        for member in state["fan_out"]:
            member["status"] = "running"
        await _publish(run)
        try:
            responses = await original(self, *args, **kwargs)
        except BaseException:
            for member in state["fan_out"]:
                member["status"] = "failed"
            await _publish(run)
            raise
        if isinstance(responses, dict):
            for member in state["fan_out"]:
                if member["name"] in responses:
                    value = responses[member["name"]]
                    member["status"] = "failed" if isinstance(value, BaseException) else "completed"
                    member["response"] = safe("fan-out response", text_of, value)
        state["fan_in"]["status"] = "running"
        await _publish(run)
        return responses

    return generate


def _wrap_fan_in(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def generate(self: Any, *args: Any, **kwargs: Any) -> Any:
        run = _run.get()
        if run is None or run.kind != "parallel" or not _member_of(run, self, "fan_in"):
            return await original(self, *args, **kwargs)
        fan_in = run.state["parallel"]["fan_in"]
        fan_in["status"] = "running"
        try:
            result = await original(self, *args, **kwargs)
        except BaseException:
            fan_in["status"] = "failed"
            await _publish(run)
            raise
        fan_in["status"] = "completed"
        fan_in["result"] = safe("fan-in result", text_of, result)
        await _publish(run)
        return result

    return generate


def _wrap_set_agent(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def set_agent(self: Any, agent: Any, *args: Any, **kwargs: Any) -> Any:
        run = _current(self)
        before = getattr(self, "agent", None)
        result = await original(self, agent, *args, **kwargs)
        if run is not None and "handoffs" in run.state:
            state = run.state["handoffs"]
            to = _name_of(agent) if agent is not None else None
            state["handoffs"].append(
                {"index": len(state["handoffs"]) + 1, "from": _name_of(before) if before else None, "to": to}
            )
            if to is not None:
                state["agents"].append(to)
            await _publish(run)
        return result

    return set_agent


def patch_patterns(patcher: Patcher) -> None:
    import importlib

    for (module_name, class_name), kind in PATTERNS.items():
        module = safe(f"import {module_name}", importlib.import_module, module_name)
        cls = getattr(module, class_name, None) if module is not None else None
        if isinstance(cls, type):
            _classes[cls] = kind
    _by_type.clear()

    from mcp_agent.workflows.orchestrator.orchestrator import Orchestrator
    from mcp_agent.workflows.parallel.fan_in import FanIn
    from mcp_agent.workflows.parallel.fan_out import FanOut
    from mcp_agent.workflows.router.router_embedding import EmbeddingRouter
    from mcp_agent.workflows.router.router_llm import LLMRouter
    from mcp_agent.workflows.swarm.swarm import Swarm

    patcher.patch(Orchestrator, "_get_full_plan", _wrap_plan)
    patcher.patch(Orchestrator, "_get_next_step", _wrap_plan)
    patcher.patch(Orchestrator, "_execute_step", _wrap_execute_step)
    patcher.patch(LLMRouter, "_route_with_llm", _wrap_route)
    patcher.patch(EmbeddingRouter, "_route_with_embedding", _wrap_route)
    patcher.patch(EmbeddingRouter, "_compute_embedding", _wrap_compute_embedding)
    for method in ("generate", "generate_str", "generate_structured"):
        patcher.patch(FanOut, method, _wrap_fan_out)
        patcher.patch(FanIn, method, _wrap_fan_in)
    patcher.patch(Swarm, "set_agent", _wrap_set_agent)
    for module_name, class_name in (
        ("mcp_agent.workflows.intent_classifier.intent_classifier_llm", "LLMIntentClassifier"),
        ("mcp_agent.workflows.intent_classifier.intent_classifier_embedding", "EmbeddingIntentClassifier"),
    ):
        module = safe(f"import {module_name}", importlib.import_module, module_name)
        cls = getattr(module, class_name, None) if module is not None else None
        if isinstance(cls, type):
            patcher.patch(cls, "classify", _wrap_classify)
    deep = safe(
        "import deep orchestrator", importlib.import_module, "mcp_agent.workflows.deep_orchestrator.orchestrator"
    )
    deep_cls = getattr(deep, "DeepOrchestrator", None) if deep is not None else None
    if isinstance(deep_cls, type):
        patcher.patch(deep_cls, "_create_full_plan", _wrap_plan)
