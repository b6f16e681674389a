"""The demo's MCP server: a real stdio server written with mcp's FastMCP, plus helpers that point mcp-agent at it.

Tools: ``add``, ``lookup_weather``, ``slow_echo``, ``always_fails`` (raises, so the call comes back as an MCP
error result), ``ask_user`` (elicits through ``ctx.elicit`` and returns the answer). Resources:
``demo://handbook`` (text) and ``demo://config.json`` (JSON). Prompt: ``summarize(topic, style)``.

Run on its own with ``python path/to/demo_server.py`` (it only needs ``mcp``). From mcp-agent::

    from inspector_demo.demo_server import SERVER_NAME, mcp_settings
    settings = Settings(mcp=mcp_settings(), ...)       # server "demo"; tools are seen as demo_add, demo_ask_user...
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mcp.server.fastmcp import Context, FastMCP
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from mcp_agent.config import MCPSettings

SERVER_NAME = "demo"
HANDBOOK_URI = "demo://handbook"
CONFIG_URI = "demo://config.json"
HANDBOOK_TEXT = (
    "Demo handbook\n"
    "1. Tools are called through the agent, never directly.\n"
    "2. A paused workflow waits for a human; answer it from the inspector.\n"
    "3. Every round of the demo runs each workflow pattern once.\n"
)
CONFIG = {"service": "inspector-demo", "units": "metric", "cities": ["Paris", "Lagos", "Lima", "Osaka"]}
_WEATHER = {"paris": (14, "cloudy"), "lagos": (31, "humid"), "lima": (19, "misty"), "osaka": (22, "clear")}


class Answer(BaseModel):
    """What ``ask_user`` asks the user for."""

    answer: str = Field(description="Your answer")
    confident: bool = Field(default=True, description="Are you sure?")


def build_server() -> FastMCP:
    """The FastMCP server with every demo tool, resource and prompt registered."""
    server = FastMCP(
        SERVER_NAME, instructions="Tools, resources and a prompt for the inspector demo.", log_level="ERROR"
    )

    @server.tool()
    def add(a: float, b: float) -> float:
        """Add two numbers."""
        total = a + b
        return int(total) if total.is_integer() else total

    @server.tool()
    def lookup_weather(city: str) -> dict[str, Any]:
        """The (made-up, deterministic) weather in a city."""
        temperature, sky = _WEATHER.get(city.lower(), (20, "unknown"))
        return {"city": city, "temperature_c": temperature, "sky": sky}

    @server.tool()
    async def slow_echo(text: str, delay_ms: int = 200) -> str:
        """Echo ``text`` back after ``delay_ms`` milliseconds (at most 5 s)."""
        await asyncio.sleep(min(max(delay_ms, 0), 5000) / 1000)
        return text

    @server.tool()
    def always_fails(reason: str = "scripted failure") -> str:
        """A tool that always fails; its error comes back as an MCP error result."""
        raise RuntimeError(reason)

    @server.tool()
    async def ask_user(question: str, ctx: Context) -> str:  # type: ignore[type-arg]
        """Ask the user a question through MCP elicitation and return what they answered."""
        result = await ctx.elicit(question, schema=Answer)
        if result.action == "accept":
            return f"user said: {result.data.answer}"
        return f"user did not answer ({result.action})"

    @server.resource(HANDBOOK_URI, name="handbook", description="The demo handbook", mime_type="text/plain")
    def handbook() -> str:
        return HANDBOOK_TEXT

    @server.resource(CONFIG_URI, name="config", description="Demo configuration", mime_type="application/json")
    def config() -> str:
        return json.dumps(CONFIG)

    @server.prompt()
    def summarize(topic: str, style: str = "short") -> str:
        """Ask for a summary of ``topic`` in a given style."""
        return f"Summarize {topic} in a {style} style, citing the demo handbook."

    return server


def server_command() -> tuple[str, list[str]]:
    """The command and arguments that start this server over stdio with the current interpreter."""
    return sys.executable, [str(Path(__file__).resolve())]


def server_config(name: str = SERVER_NAME) -> dict[str, Any]:
    """The mcp-agent server config (``mcp.servers.<name>``) for this server, as a plain dict."""
    command, args = server_command()
    return {"name": name, "transport": "stdio", "command": command, "args": args, "description": "inspector demo"}


def mcp_settings(name: str = SERVER_NAME) -> MCPSettings:
    """mcp-agent ``MCPSettings`` with this server registered as ``name``."""
    from mcp_agent.config import MCPServerSettings, MCPSettings

    return MCPSettings(servers={name: MCPServerSettings(**server_config(name))})


if __name__ == "__main__":
    # mcp starts this server in its own session: a group signal to the demo never reaches it, so it also ends
    # with its parent (besides at the end of its stdin)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run by path: make the package importable
    from inspector_demo.lifeline import exit_with_parent

    exit_with_parent()
    build_server().run("stdio")
