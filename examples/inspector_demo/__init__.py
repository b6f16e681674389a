"""The inspector demo: a real mcp-agent app with an offline scripted LLM and a real stdio MCP server.

Run it with ``scripts/demo`` (or ``PYTHONPATH=examples uv run python -m inspector_demo --rounds 1``).
Pieces other tests use::

    from inspector_demo import ScriptedLLM, ScriptPolicy, ToolCall, scripted_factory   # the offline LLM
    from inspector_demo import mcp_settings, server_config                          # the stdio demo server
"""

from inspector_demo.demo_server import SERVER_NAME, build_server, mcp_settings, server_config
from inspector_demo.scripted_llm import (
    Policy,
    Reply,
    ScriptedLLM,
    ScriptPolicy,
    Structured,
    Text,
    ToolCall,
    ToolCalls,
    Turn,
    default_policy,
    scripted_factory,
)

__all__ = [
    # the demo server
    "SERVER_NAME",
    "build_server",
    "mcp_settings",
    "server_config",
    # the scripted LLM
    "Policy",
    "Reply",
    "ScriptPolicy",
    "ScriptedLLM",
    "Structured",
    "Text",
    "ToolCall",
    "ToolCalls",
    "Turn",
    "default_policy",
    "scripted_factory",
]
