"""``python -m inspector_cli`` runs the ``mcp-agent-inspector`` command."""

from ._cli import main

main()
