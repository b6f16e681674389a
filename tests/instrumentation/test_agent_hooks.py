"""Tool, resource, prompt, LLM, agent, model, RPC and tool-resolution hooks against the real stdio demo server."""

from __future__ import annotations

from inspector_demo import ScriptPolicy, ToolCall, scripted_factory
from mcp_agent.agents.agent import Agent

from inspector_hooks.testing import capture_hook


async def test_tool_call_hooks_and_outbound_rpc(make_app):
    app = make_app()
    async with app.run() as running:
        agent = Agent(name="adder", server_names=["demo"], context=running.context)
        async with agent:
            with (
                capture_hook("before_tool_call") as before,
                capture_hook("after_tool_call") as after,
                capture_hook("before_rpc_request") as rpc_out,
                capture_hook("after_rpc_response") as rpc_in,
                capture_hook("tool_resolved") as resolved,
            ):
                result = await agent.call_tool("demo_add", {"a": 40, "b": 2})
        ctx, app_session = running.context, running.session_id
    assert result.content[0].text == "42"
    assert before[0]["tool_name"] == "demo_add"
    assert before[0]["args"] == {"a": 40, "b": 2}
    assert before[0]["context"] is ctx
    assert after[0]["result"] is result
    assert before[0].session_id == app_session  # MCPApp.run() binds the app's session

    calls = [c for c in rpc_out if c["envelope"]["method"] == "tools/call"]
    assert len(calls) == 1
    request = calls[0]
    assert request["transport"] == "stdio"
    assert request["server_name"] == "demo"
    assert isinstance(request["request_id"], int)
    assert request["envelope"]["id"] == request["request_id"]
    assert request["envelope"]["params"]["name"] == "add"
    response = next(c for c in rpc_in if c["request_id"] == request["request_id"])
    assert response["envelope"]["id"] == request["request_id"]
    assert response["envelope"]["result"]["content"][0]["text"] == "42"
    assert response["duration_ms"] > 0

    assert resolved[0]["tool_name"] == "demo_add"
    assert resolved[0]["selected_server"] == "demo"
    assert resolved[0]["candidates"] == 1
    assert resolved[0]["resolution_time_ms"] >= 0


async def test_resource_and_prompt_hooks(make_app):
    app = make_app()
    async with app.run() as running:
        agent = Agent(name="reader", server_names=["demo"], context=running.context)
        async with agent:
            with (
                capture_hook("before_resource_fetch") as r_before,
                capture_hook("after_resource_fetch") as r_after,
                capture_hook("before_prompt_apply") as p_before,
                capture_hook("after_prompt_apply") as p_after,
                capture_hook("error_prompt_apply") as p_error,
            ):
                await agent.read_resource("demo://config.json", server_name="demo")
                prompt = await agent.get_prompt("demo_summarize", {"topic": "tracing"})
                await agent.get_prompt("demo_no_such_prompt", {})
    assert r_before[0]["uri"] == "demo://config.json"
    assert r_after[0]["uri"] == "demo://config.json"
    assert r_after[0]["mime_type"] == "application/json"
    assert '"inspector-demo"' in r_after[0]["content"]
    assert p_before[0]["template_id"] == "demo_summarize"
    assert p_before[0]["parameters"] == {"topic": "tracing"}
    assert p_after[0]["rendered"] is prompt
    assert len(p_after) == 1
    assert p_error[0]["template_id"] == "demo_no_such_prompt"
    assert isinstance(p_error[0]["exc"], Exception)


async def test_llm_hooks_fire_once_per_outer_call_with_usage(make_app):
    app = make_app()
    async with app.run() as running:
        agent = Agent(name="talker", server_names=["demo"], context=running.context)
        async with agent:
            llm = await agent.attach_llm(scripted_factory(ScriptPolicy([ToolCall("demo_add", {"a": 1, "b": 2})])))
            with (
                capture_hook("before_llm_generate") as before,
                capture_hook("after_llm_generate") as after,
                capture_hook("before_agent_call") as agent_before,
                capture_hook("after_agent_call") as agent_after,
                capture_hook("before_tool_call") as tools,
            ):
                text = await llm.generate_str("add 1 and 2")
    assert text == "tool result was: 3"
    assert len(before) == 1, "generate_str -> generate is one outer call"
    assert before[0]["llm"] is llm
    assert before[0]["prompt"] == "add 1 and 2"
    assert after[0]["response"] == text
    usage = after[0]["usage"]
    assert usage["input_tokens"] > 0
    assert usage["output_tokens"] > 0
    assert agent_before[0]["agent"] is agent
    assert agent_after[0]["result"] == text
    assert tools[0]["tool_name"] == "demo_add"


async def test_subclass_defined_after_install_emits_once(make_app):
    from inspector_demo import ScriptedLLM

    class Shouty(ScriptedLLM):
        async def generate_str(self, message, request_params=None):
            return (await super().generate_str(message, request_params)).upper()

    app = make_app()
    async with app.run() as running:
        agent = Agent(name="shouty", context=running.context)
        async with agent:
            llm = await agent.attach_llm(llm=Shouty(agent=agent, context=running.context))
            with capture_hook("before_llm_generate") as before, capture_hook("after_llm_generate") as after:
                text = await llm.generate_str("hello")
    assert text.isupper()
    assert len(before) == 1
    assert after[0]["response"] == text


async def test_failing_subscriber_never_changes_the_result(make_app):
    import inspector_hooks

    def boom(**kwargs):
        raise RuntimeError("subscriber bug")

    app = make_app()
    for name in ("before_tool_call", "after_tool_call", "before_rpc_request", "after_rpc_response"):
        inspector_hooks.register(name, boom)
    try:
        async with app.run() as running:
            agent = Agent(name="adder", server_names=["demo"], context=running.context)
            async with agent:
                result = await agent.call_tool("demo_add", {"a": 2, "b": 2})
    finally:
        for name in ("before_tool_call", "after_tool_call", "before_rpc_request", "after_rpc_response"):
            inspector_hooks.unregister(name, boom)
    assert result.content[0].text == "4"
