"""The demo on mcp-agent's Temporal engine: an app, its worker process and a client, all offline.

``TemporalAgentWorkflow`` runs an agent whose scripted LLM calls the demo server's ``add`` tool (each tool call and
the agent's set-up are Temporal activities); ``TemporalApprovalWorkflow`` waits on the ``approve`` signal (a human's
answer) before it completes. Run a worker with::

    python -m inspector_demo.temporal_app worker --address 127.0.0.1:7233 --task-queue demo [--inspector]

(``--inspector`` installs the inspector's recording: instrumentation, OTel files, the Temporal interceptor).
``start`` starts one run and prints ``workflow_id=...`` (with ``--wait``, then ``result=...``); ``result`` waits for
a run's result; ``serve`` serves the app as an MCP server over stdio (its ``workflows-<Type>-run`` tools start runs
on Temporal with ``run_async``). The worker stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from typing import Any

from mcp_agent.agents.agent import Agent
from mcp_agent.app import MCPApp
from mcp_agent.config import LoggerSettings, OpenTelemetrySettings, Settings, TemporalSettings
from mcp_agent.executor.workflow import Workflow, WorkflowResult

from inspector_demo.demo_server import SERVER_NAME, mcp_settings
from inspector_demo.scripted_llm import ScriptPolicy, ToolCall, scripted_factory

APP_NAME = "inspector_demo_temporal"
APPROVE_SIGNAL = "approve"
APPROVAL_PROMPT = "Approve the Temporal demo report? Any answer resumes the run."


def temporal_settings(address: str, task_queue: str) -> Settings:
    """Settings for the Temporal app: the dev server at ``address``, the stdio demo server, no log output."""
    return Settings(
        execution_engine="temporal",
        temporal=TemporalSettings(host=address, namespace="default", task_queue=task_queue),
        mcp=mcp_settings(),
        # mcp-agent's own log: none unless INSPECTOR_DEMO_LOG=console (the tests compare it with/without the inspector)
        logger=LoggerSettings.model_validate(
            {
                "type": os.environ.get("INSPECTOR_DEMO_LOG", "none"),
                "level": os.environ.get("INSPECTOR_DEMO_LOG_LEVEL", "info"),
            }
        ),
        otel=OpenTelemetrySettings(enabled=False),
    )


app = MCPApp(name=APP_NAME, settings=temporal_settings("127.0.0.1:7233", "inspector-demo"))
"""The Temporal ``MCPApp`` (module level: Temporal refuses workflow classes defined in a function); ``configure``
points it at a server before it runs."""


def configure(address: str, task_queue: str) -> MCPApp:
    """Point ``app`` at the Temporal service at ``address`` and its task queue (before ``app.run()``)."""
    temporal = app.config.temporal
    assert temporal is not None
    temporal.host = address
    temporal.task_queue = task_queue
    return app


@app.workflow
class TemporalAgentWorkflow(Workflow[str]):
    """An agent with an LLM call that makes one tool call (``demo_add``) and answers with its result."""

    @app.workflow_run
    async def run(self, a: int = 2) -> WorkflowResult[str]:
        agent = Agent(name="adder", instruction="Add numbers with the demo tools.", server_names=[SERVER_NAME])
        async with agent:
            policy = ScriptPolicy([ToolCall("demo_add", {"a": a, "b": 3})])
            llm = await agent.attach_llm(scripted_factory(policy))
            text = await llm.generate_str(f"add {a} and 3")
        return WorkflowResult(value=text)


@app.workflow
class TemporalApprovalWorkflow(Workflow[str]):
    """Drafts a sum with the adder agent (LLM + tool call), then waits for a human's answer on the ``approve``
    signal, and completes with both."""

    @app.workflow_run
    async def run(self, a: int = 4) -> WorkflowResult[str]:
        agent = Agent(name="drafter", instruction="Add numbers with the demo tools.", server_names=[SERVER_NAME])
        async with agent:
            policy = ScriptPolicy([ToolCall("demo_add", {"a": a, "b": 3})])
            llm = await agent.attach_llm(scripted_factory(policy))
            draft = await llm.generate_str(f"add {a} and 3")
        executor: Any = self.context.executor
        answer = await executor.wait_for_signal(APPROVE_SIGNAL, signal_description=APPROVAL_PROMPT, signal_type=str)
        return WorkflowResult(value=f"approved: {_text(answer)} ({draft})")


_FAILED_ONCE: set[str] = set()  # workflow ids whose workflow task failed once in this worker process


@app.workflow
class TemporalFlakyWorkflow(Workflow[str]):
    """The adder agent's run, with a bug in its workflow code that fails the workflow task once per worker process
    when ``flaky``: Temporal retries the task, which runs that part of the code again, and the run completes."""

    @app.workflow_run
    async def run(self, flaky: bool = True) -> WorkflowResult[str]:
        agent = Agent(name="flaky", instruction="Add numbers with the demo tools.", server_names=[SERVER_NAME])
        await agent.initialize()
        policy = ScriptPolicy([ToolCall("demo_add", {"a": 1, "b": 3})])
        llm = await agent.attach_llm(scripted_factory(policy))
        text = await llm.generate_str("add 1 and 3")
        # the workflow task after the tool call's activity: this check runs live in it (new spans), then it fails
        checked = await llm.generate_str(f"check: {text}")
        _fail_once(flaky)
        await agent.shutdown()  # type: ignore[no-untyped-call]
        return WorkflowResult(value=f"{text} ({checked})")


def _fail_once(flaky: bool) -> None:
    from temporalio import workflow

    workflow_id = workflow.info().workflow_id
    if flaky and workflow_id not in _FAILED_ONCE:
        _FAILED_ONCE.add(workflow_id)
        raise RuntimeError("a bug in workflow code (this workflow task fails once)")


def _text(value: Any) -> str:
    """A signal's payload as text (mcp-agent 0.2.6 hands Temporal signals over as a raw payload)."""
    payload = getattr(value, "payload", None)
    if payload is not None:
        from temporalio import workflow

        return str(workflow.payload_converter().from_payload(payload, str))
    return str(value)


#: the ``--kind`` of a run -> its workflow type
WORKFLOWS: dict[str, str] = {
    "agent": "TemporalAgentWorkflow",
    "approval": "TemporalApprovalWorkflow",
    "flaky": "TemporalFlakyWorkflow",
}


def install_recording() -> None:
    """What a worker or client process calls to be recorded (no HTTP gateway: it only writes trace files)."""
    import inspector_instrumentation
    import inspector_otel
    import inspector_temporal

    inspector_instrumentation.install()
    inspector_otel.install()
    inspector_temporal.install()


async def run_worker(address: str, task_queue: str) -> None:
    """Run a worker for the app until SIGTERM/SIGINT."""
    from mcp_agent.executor.temporal import create_temporal_worker_for_app

    configure(address, task_queue)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with create_temporal_worker_for_app(app) as worker:
        print("worker ready", flush=True)
        run = asyncio.create_task(worker.run())
        await stop.wait()
        await worker.shutdown()
        await run


async def start(address: str, task_queue: str, kind: str, argument: Any = None) -> str:
    """Start one run of ``kind`` (``agent``/``approval``) through mcp-agent's executor; returns its workflow id."""
    configure(address, task_queue)
    async with app.run() as running:
        executor: Any = running.executor
        args = () if argument is None else (argument,)
        handle = await executor.start_workflow(WORKFLOWS[kind], *args)
        return str(handle.id)


async def serve(address: str, task_queue: str) -> None:
    """Serve the app as an MCP server over stdio (its tools ``workflows-<Type>-run`` start runs on Temporal with
    ``run_async``) until the client closes stdin."""
    from mcp_agent.server.app_server import create_mcp_server_for_app

    configure(address, task_queue)
    async with app.run():
        await create_mcp_server_for_app(app).run_stdio_async()


async def result(address: str, workflow_id: str, timeout: float = 60.0) -> Any:
    """Wait for a run's result (the workflow's ``WorkflowResult`` as a dict)."""
    from temporalio.client import Client
    from temporalio.contrib.pydantic import pydantic_data_converter

    client = await Client.connect(address, data_converter=pydantic_data_converter)
    return await asyncio.wait_for(client.get_workflow_handle(workflow_id).result(), timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inspector_demo.temporal_app")
    parser.add_argument("command", choices=["worker", "start", "result", "serve"])
    parser.add_argument("--address", required=True)
    parser.add_argument("--task-queue", default="inspector-demo")
    parser.add_argument("--kind", choices=sorted(WORKFLOWS), default="agent")
    parser.add_argument("--workflow-id")
    parser.add_argument("--wait", action="store_true", help="start: also wait for the run's result")
    parser.add_argument("--input-json", help="start: the run's one argument, as JSON")
    parser.add_argument("--inspector", action="store_true", help="record with the inspector")
    args = parser.parse_args(argv)
    if args.inspector:
        install_recording()
    if args.command == "worker":
        from inspector_demo.lifeline import exit_with_parent

        exit_with_parent()  # a demo killed with SIGKILL must not leave its worker running
        asyncio.run(run_worker(args.address, args.task_queue))
    elif args.command == "serve":
        asyncio.run(serve(args.address, args.task_queue))
    elif args.command == "start":
        argument = None if args.input_json is None else json.loads(args.input_json)
        workflow_id = asyncio.run(start(args.address, args.task_queue, args.kind, argument))
        print(f"workflow_id={workflow_id}", flush=True)
        if args.wait:
            print(f"result={json.dumps(asyncio.run(result(args.address, workflow_id)), default=str)}", flush=True)
    else:
        value = asyncio.run(result(args.address, args.workflow_id))
        print(f"result={json.dumps(value, default=str)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
