"""The gateway plugin: serves ``static/`` (one script, ``index.js``) as the UI plugin ``visualizers``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from inspector_gateway import UIAssets, hookimpl

if TYPE_CHECKING:
    from inspector_gateway import GatewayState

__all__ = ["STATIC_DIR", "VISUALIZERS", "inspector_ui_assets"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

#: visualizer id → the span attribute it draws (the script in static/ registers the same ids)
VISUALIZERS: dict[str, str] = {
    "orchestrator-plan": "mcp.result.plan_json",
    "router-scores": "mcp.result.router_decision_json",
    "evaluator-iterations": "mcp.result.evaluation_json",
    "parallel-fan-out": "mcp.result.parallel_json",
    "swarm-handoffs": "mcp.result.handoffs_json",
    "intent-classification": "mcp.result.intent_classification_json",
}


@hookimpl
def inspector_ui_assets(gateway: GatewayState) -> UIAssets:
    """The visualizers' script, served at ``/_inspector/plugins/visualizers/index.js``."""
    return UIAssets(name="visualizers", directory=STATIC_DIR, entry="index.js")
