"""Start demo workflows as mcp-agent users do (``create`` + ``run_async``); wait on them through the registry."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from mcp_agent.app import MCPApp
from mcp_agent.executor.workflow import Workflow

FINISHED = frozenset({"completed", "error", "cancelled"})
_POLL_S = 0.02


async def start(app: MCPApp, cls: type[Workflow[Any]], **arguments: Any) -> str:
    """Create a run of ``cls`` in ``app`` and start it on the asyncio executor; returns its run_id."""
    workflow = await cls.create(name=cls.__name__, context=app.context)
    execution = await workflow.run_async(**arguments)
    return str(execution.run_id)


async def status(app: MCPApp, run_id: str) -> dict[str, Any]:
    """mcp-agent's status dict of a run (``status``, ``running``, ``result``, ``error``...)."""
    registry = app.context.workflow_registry
    found = await registry.get_workflow_status(run_id=run_id) if registry is not None else None
    return dict(found or {})


async def wait(app: MCPApp, run_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """Wait until the run has finished (completed, error or cancelled); raises TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        current = await status(app, run_id)
        if current.get("status") in FINISHED and not current.get("running"):
            return current
        if time.monotonic() > deadline:
            raise TimeoutError(f"run {run_id} still {current.get('status')!r} after {timeout} s")
        await asyncio.sleep(_POLL_S)


async def run(app: MCPApp, cls: type[Workflow[Any]], timeout: float = 30.0, **arguments: Any) -> dict[str, Any]:
    """Start a run and wait for it; returns its final status dict."""
    return await wait(app, await start(app, cls, **arguments), timeout)


def result_value(final: dict[str, Any]) -> Any:
    """The ``value`` of a finished run's WorkflowResult (None if it failed)."""
    result = final.get("result")
    return result.get("value") if isinstance(result, dict) else result
