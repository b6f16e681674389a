"""Temporal replay detection: workflow code re-runs while Temporal replays history; hooks fired the first time."""

from __future__ import annotations

import sys

__all__ = ["replaying"]


def replaying() -> bool:
    """True inside a Temporal workflow that is replaying its history. Free when temporalio was never imported."""
    workflow = sys.modules.get("temporalio.workflow")
    if workflow is None:
        return False
    try:
        return bool(workflow.in_workflow() and workflow.unsafe.is_replaying())
    except Exception:
        return False
