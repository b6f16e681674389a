"""The paused approval run resumed as the inspector's POST /signal does it (inspector_instrumentation.control)."""

from __future__ import annotations

import asyncio

import pytest
from inspector_demo import runner
from inspector_demo.workflows import APPROVAL_PROMPT, ApprovalWorkflow, register_workflows

instrumentation = pytest.importorskip("inspector_instrumentation")


@pytest.fixture
def instrumented_app(demo_app):
    register_workflows(demo_app)
    already = instrumentation.installed()  # another test (or mount()) may own the installation: leave it then
    assert instrumentation.install()
    yield demo_app
    if not already:
        instrumentation.uninstall()


async def test_inspector_control_resumes_the_approval_run(instrumented_app):
    control = instrumentation.control
    run_id = await runner.start(instrumented_app, ApprovalWorkflow)
    waiting = None
    for _ in range(250):
        waiting = control.waiting(run_id)
        if waiting is not None:
            break
        await asyncio.sleep(0.02)
    assert waiting is not None
    assert waiting.kind == "human_input"
    assert waiting.prompt == APPROVAL_PROMPT
    assert (await runner.status(instrumented_app, run_id))["status"] == "running"

    await control.signal(run_id, "human_input_answer", {"response": "from the inspector"})
    final = await runner.wait(instrumented_app, run_id, timeout=10)
    assert final["status"] == "completed"
    assert runner.result_value(final) == "approved: from the inspector"
