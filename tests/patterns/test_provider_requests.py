"""Issue 14 item 3: a generation that makes several provider requests (tool calls in between) records each request
as an ``llm.request`` span with the messages sent and received and its own token usage."""

from __future__ import annotations

import json

import pytest
from inspector_demo.fake_provider import Reply
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.llm.augmented_llm_anthropic import AnthropicAugmentedLLM
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM

from .conftest import spans_of, use_tracer


def _adder(turn):
    if "demo_add" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("demo_add", {"a": 40, "b": 2}),))
    return Reply(text=f"The sum is {turn.last_text}.")


def _texts(messages):
    return [item.get("text") for m in messages for item in m["content"] if item.get("type") == "text"]


@pytest.mark.parametrize("llm_class", [OpenAIAugmentedLLM, AnthropicAugmentedLLM])
async def test_every_provider_request_is_a_span_with_messages_and_usage(
    fake, make_app, inspector, traces_dir, tracer_provider, llm_class
):
    fake.responder = _adder
    app = make_app()
    async with app.run() as running:
        use_tracer(tracer_provider, running)
        agent = Agent(name="adder", instruction="You add numbers.", server_names=["demo"])
        async with agent:
            llm = await agent.attach_llm(llm_class)
            await llm.generate_str("add 40 and 2")
        session_id = running.session_id
    inspector.force_flush()
    spans = spans_of(traces_dir, session_id)
    (generation,) = [s for s in spans if s["name"] == "llm.generate"]
    requests = sorted(
        (s for s in spans if s["name"] == "llm.request"), key=lambda s: s["attributes"]["mcp.llm.request.iteration"]
    )
    by_id = {s["span_id"]: s for s in spans}

    def ancestors(span):
        while span.get("parent_span_id") in by_id:
            span = by_id[span["parent_span_id"]]
            yield span["span_id"]

    assert all(generation["span_id"] in ancestors(r) for r in requests)  # (under mcp-agent's own generate span)
    first, second = (r["attributes"] for r in requests)
    assert (first["mcp.llm.request.iteration"], second["mcp.llm.request.iteration"]) == (0, 1)
    sent_first = json.loads(first["mcp.llm.prompt_json"])
    assert sent_first[0]["role"] == "system"
    assert _texts(sent_first[:1]) == ["You add numbers."]
    assert _texts(sent_first)[-1] == "add 40 and 2"
    got_first = json.loads(first["mcp.llm.response_json"])
    assert [i for i in got_first[0]["content"] if i["type"] == "tool_use"][0]["name"] == "demo_add"
    assert first["mcp.stop_reason"] in {"tool_calls", "tool_use"}
    # the second request carries the tool's answer from the real stdio server, and gets the final text back
    assert "42" in json.dumps(json.loads(second["mcp.llm.prompt_json"])[-1])
    assert _texts(json.loads(second["mcp.llm.response_json"])) == ["The sum is 42."]
    assert second["mcp.stop_reason"] in {"stop", "end_turn"}
    # each request's own tokens (what the fake provider reported), and the generation's totals are their sum
    turns = fake.log.turns
    assert len(turns) == 2
    for attrs in (first, second):
        assert attrs["mcp.llm.request.input_tokens"] > 0
        assert attrs["mcp.llm.request.output_tokens"] > 0
        assert attrs["gen_ai.request.model"]
    total_in = first["mcp.llm.request.input_tokens"] + second["mcp.llm.request.input_tokens"]
    assert generation["attributes"]["gen_ai.usage.input_tokens"] == total_in
    # the tool call ran between the two requests, under the generation
    (tool,) = [s for s in spans if s["name"] == "tool.call"]
    assert requests[0]["end_time"] <= tool["start_time"] <= requests[1]["start_time"]
