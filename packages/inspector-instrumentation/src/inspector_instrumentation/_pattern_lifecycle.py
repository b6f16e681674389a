"""A pattern run's life: ``run_pattern`` opens it (``before/after/error_workflow_run`` with ``workflow_type``) and
dispatches to the pattern's state builders; ``observe_generation`` lets it see its member LLMs' answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from inspector_hooks import hooks

from ._patcher import safe
from ._pattern_run import _current, _publish, _Run, _run
from ._pattern_states import _FINISH, _OBSERVE, _START


def _any_subscriber() -> bool:
    return bool(hooks.before_workflow_run or hooks.after_workflow_run or hooks.workflow_state)


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


def _nothing(*_: Any) -> None:
    return None


async def observe_generation(llm: Any, result: Any) -> None:
    """Called after each outer generation: a pattern whose member ``llm`` is records what it answered."""
    run = _run.get()
    if run is None:
        return
    observe = _OBSERVE.get(run.kind)
    if observe is not None and safe("pattern observation", observe, run, llm, result):
        await _publish(run)
