"""Wrappers of the patterns' inner steps (planning, step execution, routing, embeddings, classification, fan-out
and fan-in, swarm hand-offs): each records what the step did into the current run's state and publishes it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._patcher import safe
from ._pattern_lifecycle import run_pattern
from ._pattern_run import _current, _name_of, _publish, _Run, _run, text_of
from ._pattern_states import _plan_arrived, _router_routed, _step_finished, _step_started


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
