"""The stdio demo server, spoken to with mcp's own client (no mcp-agent in between)."""

from __future__ import annotations

import json

from inspector_demo.demo_server import CONFIG, CONFIG_URI, HANDBOOK_TEXT, HANDBOOK_URI, server_command, server_config
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import ElicitResult, TextContent, TextResourceContents


async def _answer(context, params):
    assert params.message == "Ready?"
    return ElicitResult(action="accept", content={"answer": "ready", "confident": True})


async def test_tools_resources_and_prompt_over_stdio():
    command, args = server_command()
    async with (
        stdio_client(StdioServerParameters(command=command, args=args)) as (read, write),
        ClientSession(read, write, elicitation_callback=_answer) as session,
    ):
        await session.initialize()
        tools = {tool.name for tool in (await session.list_tools()).tools}
        assert tools == {"add", "lookup_weather", "slow_echo", "always_fails", "ask_user"}

        added = await session.call_tool("add", {"a": 40, "b": 2})
        assert [c.text for c in added.content if isinstance(c, TextContent)] == ["42"]
        failed = await session.call_tool("always_fails", {"reason": "nope"})
        assert failed.isError
        asked = await session.call_tool("ask_user", {"question": "Ready?"})
        assert asked.content[0].text == "user said: ready"

        handbook = (await session.read_resource(HANDBOOK_URI)).contents[0]
        assert isinstance(handbook, TextResourceContents)
        assert handbook.text == HANDBOOK_TEXT
        config = (await session.read_resource(CONFIG_URI)).contents[0]
        assert isinstance(config, TextResourceContents)
        assert json.loads(config.text) == CONFIG
        assert config.mimeType == "application/json"

        prompts = (await session.list_prompts()).prompts
        assert [(p.name, [a.name for a in p.arguments or []]) for p in prompts] == [("summarize", ["topic", "style"])]
        prompt = await session.get_prompt("summarize", {"topic": "tides", "style": "formal"})
        assert "tides" in prompt.messages[0].content.text


def test_server_config_points_at_this_interpreter():
    config = server_config("demo")
    assert config["transport"] == "stdio"
    assert config["args"][0].endswith("demo_server.py")
