"""A stdio MCP server whose tool asks the client's model (``sampling/createMessage``): ``haiku(topic)`` asks for a
haiku and returns the text the client answered, or ``sampling failed: <message>`` when the client refused.

Run as ``python sampling_server.py`` (it only needs ``mcp``); the pattern tests start it over stdio.
"""

from __future__ import annotations

from mcp.server.fastmcp import Context, FastMCP
from mcp.shared.exceptions import McpError
from mcp.types import ModelHint, ModelPreferences, SamplingMessage, TextContent

server = FastMCP("sampler")

SYSTEM_PROMPT = "You write haiku."


@server.tool()
async def haiku(topic: str, ctx: Context) -> str:  # type: ignore[type-arg]
    """Ask the client's model for a haiku about ``topic``."""
    try:
        result = await ctx.session.create_message(
            messages=[SamplingMessage(role="user", content=TextContent(type="text", text=f"A haiku about {topic}"))],
            max_tokens=64,
            system_prompt=SYSTEM_PROMPT,
            model_preferences=ModelPreferences(hints=[ModelHint(name="gpt-4o")], intelligencePriority=0.9),
            related_request_id=ctx.request_id,
        )
    except McpError as exc:
        return f"sampling failed: {exc.error.message}"
    content = result.content
    return content.text if isinstance(content, TextContent) else str(content)


if __name__ == "__main__":
    server.run()
