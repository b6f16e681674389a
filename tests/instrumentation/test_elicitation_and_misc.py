"""Elicitation from the stdio server as a pause the inspector can answer; model selection and transport hooks."""

from __future__ import annotations

import asyncio

import pytest
from inspector_demo import scripted_factory
from mcp.types import ElicitResult
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.llm.augmented_llm import RequestParams

from inspector_hooks.testing import capture_hook
from inspector_instrumentation import InvalidPayload, control


async def _wait_for(predicate, timeout=10.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def test_elicitation_pause_answered_through_control(make_app):
    release = asyncio.Event()

    async def nobody_answers(request):
        await release.wait()
        return ElicitResult(action="decline")

    app = make_app(elicitation_callback=nobody_answers)
    with capture_hook("session_paused") as paused, capture_hook("session_resumed") as resumed:
        async with app.run() as running:
            sid = running.session_id
            agent = Agent(name="asker", server_names=["demo"], context=running.context)
            async with agent:
                call = asyncio.create_task(agent.call_tool("demo_ask_user", {"question": "Proceed?"}))
                await _wait_for(lambda: control.waiting(sid) is not None)
                waiting = control.waiting(sid)
                assert waiting.kind == "elicitation"
                assert waiting.prompt == "Proceed?"
                assert "answer" in waiting.schema["properties"]
                with pytest.raises(InvalidPayload):
                    await control.signal(sid, "human_input_answer", {"answer": 5})
                with pytest.raises(InvalidPayload):
                    await control.signal(sid, "human_input_answer", ["yes"])
                await control.signal(sid, "human_input_answer", {"answer": "go ahead", "confident": True})
                result = await asyncio.wait_for(call, 10)
                release.set()
    assert result.content[0].text == "user said: go ahead"
    assert paused[0]["session_id"] == sid
    assert paused[0]["schema"] == waiting.schema
    assert resumed[0]["payload"] == {"answer": "go ahead", "confident": True}
    assert resumed[0]["action"] == "accept"
    assert control.waiting(sid) is None


async def test_elicitation_declined_by_the_users_callback_is_resumed_with_its_action(make_app):
    async def declines(request):
        return ElicitResult(action="decline")

    app = make_app(elicitation_callback=declines)
    with capture_hook("session_resumed") as resumed:
        async with app.run() as running:
            agent = Agent(name="asker", server_names=["demo"], context=running.context)
            async with agent:
                result = await agent.call_tool("demo_ask_user", {"question": "Proceed?"})
    assert "decline" in result.content[0].text
    assert [(r["signal_name"], r["payload"], r["action"]) for r in resumed] == [("elicitation", None, "decline")]


async def test_model_selection_and_transport_hooks(make_app):
    app = make_app()
    with (
        capture_hook("transport_connected") as connected,
        capture_hook("transport_disconnected") as disconnected,
        capture_hook("before_model_select") as before,
        capture_hook("after_model_select") as after,
    ):
        async with app.run() as running:
            agent = Agent(name="picker", server_names=["demo"], context=running.context)
            async with agent:
                llm = await agent.attach_llm(scripted_factory())
                chosen = await llm.select_model(RequestParams(model="scripted-7"))
                await agent.call_tool("demo_add", {"a": 1, "b": 1})
    assert chosen == "scripted-7"
    assert after[0]["selected_model"] == "scripted-7"
    assert before[0]["context"] is after[0]["context"]
    assert connected[0]["transport_type"] == "stdio"
    assert connected[0]["server_name"] == "demo"
    assert "demo_server.py" in connected[0]["uri"]
    assert disconnected[0]["transport_type"] == "stdio"
