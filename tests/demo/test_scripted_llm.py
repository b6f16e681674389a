"""The scripted LLM goes through mcp-agent's real tool path to the real stdio demo server."""

from __future__ import annotations

from inspector_demo import ScriptPolicy, ToolCall, Turn, scripted_factory
from mcp_agent.agents.agent import Agent


async def test_tool_call_reaches_the_stdio_server(demo_app):
    seen: list[Turn] = []

    def policy(turn: Turn):
        seen.append(turn)
        if not turn.tool_results:
            return ToolCall("demo_add", {"a": 40, "b": 2})
        return f"the sum is {turn.tool_results[0]}"

    agent = Agent(name="adder", instruction="Add numbers.", server_names=["demo"], context=demo_app.context)
    async with agent:
        llm = await agent.attach_llm(scripted_factory(policy))
        text = await llm.generate_str("what is 40 + 2?")
    assert text == "the sum is 42"
    assert "demo_add" in seen[0].tool_names
    roles = [m["role"] for m in llm.history.get()]
    assert roles == ["system", "user", "assistant", "tool", "assistant"]
    # the result came from a separate process: the stdio server
    assert llm.history.get()[3]["content"] == "42"


async def test_failing_tool_comes_back_as_error_result(demo_app):
    agent = Agent(name="failer", server_names=["demo"], context=demo_app.context)
    async with agent:
        llm = await agent.attach_llm(
            scripted_factory(ScriptPolicy([ToolCall("demo_always_fails", {"reason": "boom"})]))
        )
        text = await llm.generate_str("fail please")
    assert text.startswith("tool result was: ERROR:")
    assert "boom" in text


async def test_token_usage_is_recorded(demo_app):
    agent = Agent(name="talker", context=demo_app.context)
    async with agent:
        llm = await agent.attach_llm(scripted_factory())
        await llm.generate_str("hello there")
    usage = await llm.get_token_usage()
    assert usage is not None
    assert usage.total_tokens > 0
