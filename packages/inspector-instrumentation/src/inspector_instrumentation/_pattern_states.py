"""Each pattern's structure as it runs: the state a run starts with, what it learns from its members' answers, and
how it ends (the ``_START``/``_OBSERVE``/``_FINISH`` tables ``_patterns`` dispatches through)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._pattern_run import _name_of, _Run, text_of


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
