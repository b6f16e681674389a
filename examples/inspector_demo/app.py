"""The demo app: a real mcp-agent ``MCPApp`` that runs every workflow pattern, round after round, offline.

A round runs ``ToolsWorkflow``, the pattern workflows (four on a scripted LLM, swarm and classifiers on the real
provider classes against a local fake provider), starts an ``ApprovalWorkflow`` that pauses for a human,
and calls one workflow over inbound MCP (streamable HTTP). ``main()`` mounts the inspector and loops until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from mcp_agent.app import MCPApp
from mcp_agent.core.context import Context

from inspector_demo import runner
from inspector_demo.humans import AUTO_ANSWER, elicitation_callback, make_human_input_callback
from inspector_demo.inbound import InboundServer, call_workflow
from inspector_demo.settings import demo_settings
from inspector_demo.workflows import (
    WORKFLOWS,
    ApprovalWorkflow,
    ToolsWorkflow,
    answer_approval,
    register_workflows,
    waiting_request_id,
)

logger = logging.getLogger(__name__)

APP_NAME = "inspector_demo"
MAX_PAUSED = 3
"""At most this many approval runs stay paused; older ones are answered by the demo so memory stays flat."""
KEEP_FINISHED = 100
"""mcp-agent's in-memory registry never forgets a run; the demo unregisters its finished runs beyond this many."""
PAUSE_WAIT_S = 5.0
_inbound: WeakKeyDictionary[MCPApp, InboundServer] = WeakKeyDictionary()
_paused: WeakKeyDictionary[MCPApp, list[str]] = WeakKeyDictionary()
_finished: WeakKeyDictionary[MCPApp, deque[str]] = WeakKeyDictionary()


def build_app(*, log_path: Path | None = None) -> MCPApp:
    """The demo ``MCPApp``: settings in code, the human-input and elicitation callbacks, every workflow registered."""
    app: MCPApp
    settings = demo_settings(log_path=log_path)

    def running_context() -> Context:
        return app.context

    app = MCPApp(
        name=APP_NAME,
        description="mcp-agent-inspector demo: every workflow pattern with an offline scripted LLM",
        settings=settings,
        human_input_callback=make_human_input_callback(running_context),
        elicitation_callback=elicitation_callback,
    )
    register_workflows(app)
    return app


async def serve_inbound(app: MCPApp, port: int = 0) -> str:
    """Serve ``app`` as an MCP server (streamable HTTP on 127.0.0.1) for the rest of its run; returns the URL."""
    server = _inbound.get(app)
    if server is None:
        server = InboundServer(app, port)
        await server.start()
        _inbound[app] = server
    return server.url


async def stop_inbound(app: MCPApp) -> None:
    """Stop the server ``serve_inbound`` started (a no-op if none)."""
    server = _inbound.pop(app, None)
    if server is not None:
        await server.stop()


async def run_round(app: MCPApp, *, auto_answer: bool) -> dict[str, Any]:
    """Run one of each workflow in the running ``app``; returns a summary.

    With ``auto_answer=True`` the approval run is answered at once and awaited, so the round finishes with every
    run completed. With ``False`` it is left paused for the inspector (``summary["paused"]`` holds its run_id).
    Elicitations are always answered by the demo.
    """
    started = time.monotonic()
    runs: dict[str, dict[str, Any]] = {}
    for cls in WORKFLOWS:
        if cls is not ApprovalWorkflow:  # started below: it waits for a human
            runs[cls.__name__] = _brief(await runner.run(app, cls))
    approval_id = await runner.start(app, ApprovalWorkflow, auto_answer=auto_answer)
    paused: list[str] = []
    if auto_answer:
        runs[ApprovalWorkflow.__name__] = _brief(await runner.wait(app, approval_id))
    else:
        waiting = await _wait_paused(app, approval_id)
        runs[ApprovalWorkflow.__name__] = {"run_id": approval_id, "status": "paused" if waiting else "running"}
        paused = [approval_id]
        await _limit_paused(app, approval_id)
    runs["inbound"] = await _inbound_call(app)
    await _forget_finished(app, [str(r["run_id"]) for r in runs.values() if r.get("status") in runner.FINISHED])
    return {
        "ok": all(r.get("status") in ("completed", "paused") for r in runs.values()),
        "runs": runs,
        "paused": paused,
        "duration_s": round(time.monotonic() - started, 3),
    }


async def _inbound_call(app: MCPApp) -> dict[str, Any]:
    server = _inbound.get(app)
    if server is not None:
        final = await call_workflow(server.url, ToolsWorkflow.__name__, {"elicit": False})
    else:
        async with InboundServer(app) as url:
            final = await call_workflow(url, ToolsWorkflow.__name__, {"elicit": False})
    return {**_brief(final), "via": "streamable-http"}


async def _wait_paused(app: MCPApp, run_id: str) -> bool:
    deadline = time.monotonic() + PAUSE_WAIT_S
    while time.monotonic() < deadline:
        registry = app.context.workflow_registry
        if registry is not None and waiting_request_id(app, await registry.get_workflow(run_id=run_id)):
            return True
        await asyncio.sleep(0.02)
    return False


async def _limit_paused(app: MCPApp, run_id: str) -> None:
    paused = _paused.setdefault(app, [])
    paused.append(run_id)
    while len(paused) > MAX_PAUSED:
        oldest = paused.pop(0)
        if await answer_approval(app, oldest, AUTO_ANSWER + " after waiting too long"):
            logger.info("answered the oldest paused approval run %s", oldest)
        await _forget_finished(app, [oldest])


async def _forget_finished(app: MCPApp, run_ids: list[str]) -> None:
    finished = _finished.setdefault(app, deque())
    finished.extend(run_ids)
    registry = app.context.workflow_registry
    while len(finished) > KEEP_FINISHED and registry is not None:
        oldest = finished.popleft()
        try:
            await registry.unregister(oldest)
        except ValueError:  # already gone
            logger.debug("run %s was not registered", oldest)


def _brief(final: dict[str, Any]) -> dict[str, Any]:
    value = runner.result_value(final)
    text = value if isinstance(value, str) else repr(value)
    brief = {"run_id": final.get("run_id"), "status": final.get("status"), "result": text[:200]}
    if final.get("error"):
        brief["error"] = str(final["error"])[:500]
    return brief


def install_inspector(port: int | None, app: MCPApp | None = None) -> str:
    """Mount the inspector if inspector_gateway has ``mount``; else install the instrumentation and OTel exporter.

    Returns a line for the console ('' when ``mount`` printed its URL itself).
    """
    try:
        from inspector_gateway import mount

        mounted = mount(app, port=port if port is not None else int(os.environ.get("INSPECTOR_PORT", "7800")))
    except (ImportError, AttributeError) as exc:
        print(f"inspector_gateway.mount is not available ({exc}); recording traces only")
    else:
        if getattr(mounted, "url", None):
            return ""  # mount() printed the URL with its token
        print(f"the inspector did not start: {getattr(mounted, 'error', 'unknown error')}; recording traces only")
    installed = []
    for module, attribute in (("inspector_instrumentation", "install"), ("inspector_otel", "install")):
        try:
            install = getattr(__import__(module), attribute)
            install()
            installed.append(module)
        except (ImportError, AttributeError) as exc:
            print(f"{module}.{attribute} is not available ({exc})")
    where = os.environ.get("MCP_TRACES_DIR") or str(Path.home() / ".mcp_traces")
    return f"installed {', '.join(installed) or 'nothing'}; traces go to {where}"


def main(argv: list[str] | None = None) -> int:
    """The looping command line (``python -m inspector_demo``); see ``inspector_demo.main``."""
    from inspector_demo.main import main as command_line

    return command_line(argv)
