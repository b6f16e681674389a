"""Issue 14 item 5 (sampling): a real stdio server's ``sampling/createMessage`` request and the client's answer are a
``sampling.create_message`` span under the ``tools/call`` during which the server asked; mcp-agent's human approvals
of local sampling are pauses with the human's answer, which the inspector can give too.

The server is ``sampling_server.py`` over stdio; mcp-agent answers with its own ``SamplingHandler`` (its model
selector, ``create_llm`` and the real OpenAI provider class against the fake provider).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent
from mcp_agent.config import MCPServerSettings
from mcp_agent.human_input.types import HumanInputRequest, HumanInputResponse

from inspector_instrumentation import control
from inspector_otel.testing import read_session

from .conftest import spans_of, use_tracer

SERVER = Path(__file__).with_name("sampling_server.py")
HAIKU = "Autumn moonlight / a worm digs silently / into the chestnut"


def _poet(turn):
    return Reply(text=HAIKU)


def _with_sampler(app):
    app._config.mcp.servers["sampler"] = MCPServerSettings(command=sys.executable, args=[str(SERVER)])
    return app


async def _ask_for_haiku(app, tracer_provider):
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        agent = Agent(name="poet", server_names=["sampler"])
        async with agent:
            result = await agent.call_tool("sampler_haiku", {"topic": "autumn"})
        return running.session_id, result.content[0].text


def _texts(messages):
    return [(m["role"], item.get("text")) for m in messages for item in m["content"]]


async def test_a_servers_sampling_request_is_a_span_under_the_call_it_asked_during(
    fake, make_app, inspector, traces_dir, tracer_provider
):
    fake.responder = _poet
    session_id, text = await _ask_for_haiku(_with_sampler(make_app(name="sampling_app")), tracer_provider)
    assert text == HAIKU
    inspector.force_flush()
    spans = spans_of(traces_dir, session_id)
    by_id = {s["span_id"]: s for s in spans}
    (sampling,) = [s for s in spans if s["name"] == "sampling.create_message"]
    attrs = sampling["attributes"]
    rpc = by_id[sampling["parent_span_id"]]  # mcp-agent's send_request span of the tools/call
    assert rpc["attributes"]["mcp.rpc.method"] == "tools/call"
    ancestors = []
    span = rpc
    while span.get("parent_span_id") in by_id:
        span = by_id[span["parent_span_id"]]
        ancestors.append(span["name"])
    assert "tool.call" in ancestors
    assert sampling["kind"] == "SERVER"
    assert attrs["mcp.rpc.method"] == "sampling/createMessage"
    assert attrs["mcp.rpc.direction"] == "inbound"
    assert (attrs["mcp.rpc.server_name"], attrs["mcp.rpc.transport"]) == ("sampler", "stdio")
    assert _texts(json.loads(attrs["mcp.llm.prompt_json"])) == [
        ("system", "You write haiku."),
        ("user", "A haiku about autumn"),
    ]
    assert _texts(json.loads(attrs["mcp.llm.response_json"])) == [("assistant", HAIKU)]
    request = json.loads(attrs["mcp.rpc.request_json"])
    assert request["maxTokens"] == 64
    assert request["modelPreferences"]["hints"] == [{"name": "gpt-4o"}]
    assert attrs["gen_ai.response.model"]
    assert attrs["mcp.status.code"] == "ok"
    assert sampling["status"]["code"] != "ERROR"
    # the fake provider really answered: the model the client asked got the server's system prompt and message
    (turn,) = fake.log.turns
    assert turn.system == "You write haiku."
    assert turn.last_text == "A haiku about autumn"


async def test_sampling_approvals_are_pauses_with_the_humans_answer(
    fake, make_app, inspector, traces_dir, tracer_provider
):
    fake.responder = _poet
    asked: list[HumanInputRequest] = []

    async def human(request: HumanInputRequest) -> HumanInputResponse:
        asked.append(request)
        answer = "approve" if len(asked) == 1 else "too dull"
        return HumanInputResponse(request_id=request.request_id, response=answer)

    app = _with_sampler(make_app(name="sampling_approvals", human_input_callback=human))
    session_id, text = await _ask_for_haiku(app, tracer_provider)
    assert text == "sampling failed: Response rejected by user: too dull"  # mcp-agent's own answer, unchanged
    assert len(asked) == 2
    inspector.force_flush()
    records = read_session(traces_dir, session_id)
    marks = [r for r in records if r["type"] in ("session_paused", "session_resumed")]
    assert [r["type"] for r in marks] == ["session_paused", "session_resumed"] * 2
    assert "requests LLM sampling" in marks[0]["prompt"]
    assert "A haiku about autumn" in marks[0]["prompt"]
    assert HAIKU in marks[2]["prompt"]
    assert [marks[1]["answer"], marks[3]["answer"]] == ["approve", "too dull"]
    (sampling,) = [r for r in records if r["type"] == "span" and r["name"] == "sampling.create_message"]
    assert sampling["status"]["code"] == "ERROR"
    assert sampling["attributes"]["mcp.error.message"] == "Response rejected by user: too dull"
    events = [(e["name"], e["attributes"].get("payload_json")) for e in sampling["events"]]
    assert events == [
        ("session.paused", None),
        ("session.resumed", '"approve"'),
        ("session.paused", None),
        ("session.resumed", '"too dull"'),
    ]


async def test_the_inspector_answers_a_sampling_approval(fake, make_app, inspector, traces_dir, tracer_provider):
    fake.responder = _poet
    nobody = asyncio.Event()

    async def absent_human(request: HumanInputRequest) -> HumanInputResponse:
        await nobody.wait()
        raise AssertionError("the inspector answered first")

    app = _with_sampler(make_app(name="sampling_by_page", human_input_callback=absent_human))
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        sid = running.session_id
        agent = Agent(name="poet", server_names=["sampler"])
        async with agent:
            call = asyncio.create_task(agent.call_tool("sampler_haiku", {"topic": "autumn"}))
            for _ in range(2):  # the request, then the response
                for _ in range(1000):
                    if control.waiting(sid) is not None:
                        break
                    await asyncio.sleep(0.01)
                waiting = control.waiting(sid)
                assert waiting is not None
                assert waiting.kind == "approval"
                assert waiting.schema["required"] == ["response"]
                await control.signal(sid, "human_input_answer", {"response": "approve"})
                for _ in range(1000):  # the next wait is a new one
                    if control.waiting(sid) is None or control.waiting(sid).signal_name != waiting.signal_name:
                        break
                    await asyncio.sleep(0.01)
            result = await asyncio.wait_for(call, 30)
    nobody.set()
    assert result.content[0].text == HAIKU
    inspector.force_flush()
    resumed = [r for r in read_session(traces_dir, sid) if r["type"] == "session_resumed"]
    assert [r["answer"] for r in resumed] == ["approve", "approve"]
