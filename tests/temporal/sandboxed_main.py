"""Runs ``sandboxed_app``'s workflow on a worker with Temporal's default ``SandboxedWorkflowRunner`` and waits for
two runs' results, printing them. With ``--inspector`` the inspector's recording is installed and the client (so
the worker built on it) gets ``InspectorInterceptor``, as docs/temporal.md tells users of their own client to do.

    python -m tests.temporal.sandboxed_main ADDRESS TASK_QUEUE [--inspector]
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid


async def main(address: str, task_queue: str, inspector: bool) -> None:
    from temporalio.client import Client
    from temporalio.worker import Worker

    from tests.temporal.sandboxed_app import SandboxedGreeting, shout

    interceptors = []
    if inspector:
        import inspector_otel
        import inspector_temporal

        inspector_otel.install()
        inspector_temporal.install()
        interceptors.append(inspector_temporal.InspectorInterceptor())
    client = await Client.connect(address, interceptors=interceptors)
    async with Worker(client, task_queue=task_queue, workflows=[SandboxedGreeting], activities=[shout]):
        for name in ("ada", "bob"):
            workflow_id = f"sandboxed-{name}-{uuid.uuid4().hex[:8]}"
            result = await client.execute_workflow(SandboxedGreeting.run, name, id=workflow_id, task_queue=task_queue)
            sys.stdout.write(f"workflow_id={workflow_id} result={result}\n")
            sys.stdout.flush()


if __name__ == "__main__":
    inspector = "--inspector" in sys.argv[3:]
    asyncio.run(main(sys.argv[1], sys.argv[2], inspector))
    if inspector:
        import inspector_otel

        inspector_otel.uninstall()  # flush and close the trace files: os._exit below skips atexit
    # temporalio's core threads can abort the interpreter while it finalizes ("Fatal Python error:
    # PyGILState_Release", seen with and without the inspector): leave without finalizing
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
