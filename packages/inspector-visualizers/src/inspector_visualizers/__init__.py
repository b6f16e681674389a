"""First-party visualizers of mcp-agent-inspector, shipped as a UI plugin (entry point ``visualizers``).

Usage: install the distribution; ``inspector_gateway.mount()`` loads it through the entry-point group
``mcp_agent_inspector.plugins`` and serves ``static/`` at ``/_inspector/plugins/visualizers/``.
"""

from __future__ import annotations

from typing import Any

from .plugin import STATIC_DIR, VISUALIZERS

__all__ = ["STATIC_DIR", "VISUALIZERS"]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("inspector-visualizers")
    raise AttributeError(name)
