"""A user's own Temporal workflow in Temporal's default sandbox (``SandboxedWorkflowRunner``), as a plain temporalio
program: no mcp-agent in it. Its module imports only temporalio and the standard library, as the sandbox wants
(the sandbox re-imports it for every run). ``sandboxed_main`` runs a worker and a client on it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import RetryPolicy

_attempts: dict[str, int] = {}  # activity id -> attempts seen (the activity fails its first attempt)


@activity.defn
async def shout(text: str) -> str:
    info = activity.info()
    key = f"{info.workflow_id}/{info.activity_id}"
    _attempts[key] = _attempts.get(key, 0) + 1
    if _attempts[key] == 1:
        raise RuntimeError("first attempt fails")
    return text.upper()


@workflow.defn
class SandboxedGreeting:
    """Sleeps on a durable timer, reads workflow time and random, and calls an activity that fails once."""

    @workflow.run
    async def run(self, name: str) -> str:
        await asyncio.sleep(0.05)  # a Temporal timer
        started = workflow.now()
        salt = workflow.random().randint(0, 0)  # deterministic random: always 0
        loud = await workflow.execute_activity(
            shout,
            f"hello {name}",
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=50), maximum_attempts=3),
        )
        workflow.logger.debug("greeted at %s", started)
        return f"{loud}{'!' * (salt + 1)}"
