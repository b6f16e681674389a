"""Workflow-run sessions: parent, true final status (completed / failed / cancelled), pause, resume and cancel."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack

import pytest
from mcp_agent.agents.agent import Agent
from mcp_agent.executor.workflow import Workflow, WorkflowResult
from mcp_agent.human_input.types import HumanInputRequest, HumanInputResponse

from inspector_hooks.testing import capture_hook
from inspector_instrumentation import InvalidPayload, NotWaiting, UnknownSession, control
from inspector_instrumentation._signals import HUMAN_INPUT_SCHEMA

SESSION_HOOKS = (
    "session_started",
    "session_finished",
    "session_paused",
    "session_resumed",
    "before_workflow_run",
    "after_workflow_run",
    "error_workflow_run",
)


def capture_all(stack: ExitStack) -> dict[str, list]:
    return {name: stack.enter_context(capture_hook(name)) for name in SESSION_HOOKS}


def define_workflows(app):
    @app.workflow
    class Adder(Workflow[int]):
        @app.workflow_run
        async def run(self, a: int, b: int) -> WorkflowResult[int]:
            return WorkflowResult(value=a + b)

    @app.workflow
    class Broken(Workflow[int]):
        @app.workflow_run
        async def run(self) -> WorkflowResult[int]:
            raise ValueError("no luck")

    @app.workflow
    class Sleeper(Workflow[str]):
        @app.workflow_run
        async def run(self) -> WorkflowResult[str]:
            await asyncio.sleep(30)
            return WorkflowResult(value="woke")

    @app.workflow
    class Approval(Workflow[str]):
        @app.workflow_run
        async def run(self, question: str) -> WorkflowResult[str]:
            agent = Agent(name="approver", context=self.context, human_input_callback=self.context.human_input_handler)
            answer = await agent.request_human_input(HumanInputRequest(prompt=question, workflow_id=self.id))
            return WorkflowResult(value=answer.response)

    return Adder, Broken, Sleeper, Approval


async def _finish(workflow) -> None:
    await asyncio.wait({workflow._run_task}, timeout=10)
    assert workflow._run_task.done()


async def _wait_until(predicate, timeout=10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


def finished(calls, sid):
    return [c for c in calls["session_finished"] if c["session_id"] == sid]


async def test_run_sessions_record_parent_and_true_status(make_app):
    app = make_app()
    Adder, Broken, _, _ = define_workflows(app)
    with ExitStack() as stack:
        calls = capture_all(stack)
        async with app.run() as running:
            app_sid = running.session_id
            ok = await Adder.create(context=running.context)
            ok_exec = await ok.run_async(a=2, b=3)
            bad = await Broken.create(context=running.context)
            bad_exec = await bad.run_async()
            await _finish(ok)
            await _finish(bad)

    started = {c["session_id"]: c["metadata"] for c in calls["session_started"]}
    assert started[app_sid]["engine"] == "asyncio"
    assert started[app_sid]["title"] == "instr_test_app"
    assert started[app_sid]["parent_session_id"] is None
    meta = started[ok_exec.run_id]
    assert meta["engine"] == "asyncio"
    assert meta["parent_session_id"] == app_sid
    assert meta["workflow_type"] == "Adder"
    assert meta["run_id"] == ok_exec.run_id
    assert meta["workflow_id"] == ok_exec.workflow_id
    assert meta["app_name"] == "instr_test_app"
    assert meta["started_at"].endswith("Z")

    assert finished(calls, ok_exec.run_id)[0]["status"] == "completed"
    assert finished(calls, ok_exec.run_id)[0]["error"] is None
    failed = finished(calls, bad_exec.run_id)
    assert len(failed) == 1
    assert failed[0]["status"] == "failed"
    assert "ValueError: no luck" in failed[0]["error"]
    assert finished(calls, app_sid)[0]["status"] == "completed"

    assert [c["workflow"] for c in calls["before_workflow_run"]] == [ok, bad]
    assert calls["after_workflow_run"][0]["result"].value == 5
    assert isinstance(calls["error_workflow_run"][0]["exc"], ValueError)
    # hooks emitted inside a run carry its session id
    assert calls["after_workflow_run"][0].session_id == ok_exec.run_id


async def test_app_session_failed_when_the_body_raises(make_app):
    app = make_app()
    with capture_hook("session_finished") as done, pytest.raises(KeyError):
        async with app.run():
            raise KeyError("boom")
    assert done[-1]["status"] == "failed"
    assert "KeyError" in done[-1]["error"]


async def test_cancel_one_run_leaves_the_other_running(make_app):
    app = make_app()
    _, _, Sleeper, _ = define_workflows(app)
    with capture_hook("session_finished") as done, capture_hook("session_paused") as paused:
        async with app.run() as running:
            first = await Sleeper.create(context=running.context)
            second = await Sleeper.create(context=running.context)
            one = await first.run_async()
            two = await second.run_async()
            await asyncio.sleep(0.05)  # both runs now wait on mcp-agent's internal "cancel" signal
            await control.cancel(one.run_id)
            await _finish(first)
            await asyncio.sleep(0.05)
            assert not second._run_task.done(), "a targeted cancel must not wake the other run"
            await control.cancel(two.run_id)
            await _finish(second)
            with pytest.raises(UnknownSession):
                await control.cancel(one.run_id)  # finished: no longer live
            with pytest.raises(NotWaiting):
                await control.cancel(running.session_id)  # the app session is not a workflow run
    assert finished({"session_finished": done}, one.run_id)[0]["status"] == "cancelled"
    assert finished({"session_finished": done}, two.run_id)[0]["status"] == "cancelled"
    assert paused == [], "the internal cancel wait is not a pause"


async def test_human_input_pause_signal_resume(make_app):
    release = asyncio.Event()

    async def slow_human(request: HumanInputRequest) -> HumanInputResponse:
        await release.wait()  # nobody answers at the console: the inspector does
        return HumanInputResponse(request_id=request.request_id or "", response="too late")

    app = make_app(human_input_callback=slow_human)
    _, _, _, Approval = define_workflows(app)
    with ExitStack() as stack:
        calls = capture_all(stack)
        async with app.run() as running:
            wf = await Approval.create(context=running.context)
            execution = await wf.run_async(question="Ship it?")
            sid = execution.run_id
            await _wait_until(lambda: control.waiting(sid) is not None)
            waiting = control.waiting(sid)
            assert waiting.prompt == "Ship it?"
            assert waiting.schema == HUMAN_INPUT_SCHEMA
            assert waiting.signal_name.startswith("__human_input__")
            assert waiting.kind == "human_input"

            with pytest.raises(InvalidPayload):
                await control.signal(sid, "human_input_answer", {"answer": "yes"})
            with pytest.raises(InvalidPayload):
                await control.signal(sid, "human_input_answer", "yes")
            with pytest.raises(NotWaiting):
                await control.signal(sid, "pause", {"response": "yes"})
            with pytest.raises(NotWaiting):
                await control.signal(running.session_id, "resume", {"response": "yes"})
            with pytest.raises(UnknownSession):
                await control.signal("no-such-session", "resume", {"response": "yes"})
            with pytest.raises(UnknownSession):
                await control.signal("../etc/passwd", "resume", {"response": "yes"})
            assert not wf._run_task.done()

            await control.signal(sid, "human_input_answer", {"response": "approved"})
            await _finish(wf)
            assert wf._run_task.result().value == "approved"
            assert control.waiting(sid) is None
            release.set()
            await asyncio.sleep(0)

    paused = [c for c in calls["session_paused"] if c["session_id"] == sid]
    assert len(paused) == 1
    assert paused[0]["prompt"] == "Ship it?"
    assert paused[0]["schema"] == HUMAN_INPUT_SCHEMA
    assert paused[0]["signal_name"] == waiting.signal_name
    resumed = [c for c in calls["session_resumed"] if c["session_id"] == sid]
    assert resumed[0]["signal_name"] == waiting.signal_name
    assert resumed[0]["payload"].response == "approved"
    assert finished(calls, sid)[0]["status"] == "completed"


async def test_plain_and_typed_workflow_signals(make_app):
    from pydantic import BaseModel

    class Decision(BaseModel):
        approve: bool
        note: str = ""

    app = make_app()

    @app.workflow
    class Gate(Workflow[str]):
        @app.workflow_run
        async def run(self) -> WorkflowResult[str]:
            executor = self.context.executor
            word = await executor.wait_for_signal(
                "resume", workflow_id=self.id, run_id=self.run_id, signal_description="Say a word"
            )
            decision = await executor.wait_for_signal(
                "decide", workflow_id=self.id, run_id=self.run_id, signal_type=Decision
            )
            return WorkflowResult(value=f"{word}:{decision.approve}:{decision.note}")

    with capture_hook("session_paused") as paused:
        async with app.run() as running:
            wf = await Gate.create(context=running.context)
            sid = (await wf.run_async()).run_id
            await _wait_until(lambda: control.waiting(sid) is not None)
            assert control.waiting(sid).schema == HUMAN_INPUT_SCHEMA
            await control.signal(sid, "resume", {"response": "hello"})
            await _wait_until(lambda: (w := control.waiting(sid)) is not None and w.signal_name == "decide")
            assert control.waiting(sid).schema["properties"]["approve"]["type"] == "boolean"
            with pytest.raises(InvalidPayload):
                await control.signal(sid, "decide", {"approve": "maybe"})
            await control.signal(sid, "decide", {"approve": True, "note": "ok"})
            await _finish(wf)
            assert wf._run_task.result().value == "hello:True:ok"
    assert [p["signal_name"] for p in paused if p["session_id"] == sid] == ["resume", "decide"]
    assert paused[0]["prompt"] == "Say a word"
