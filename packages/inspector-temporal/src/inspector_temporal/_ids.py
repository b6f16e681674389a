"""Span ids every process computes alike for one workflow execution, so a worker restarted mid-run, or another
worker running one of its activities, parents its spans under the same workflow span without asking anyone."""

from __future__ import annotations

import hashlib

__all__ = ["workflow_span_ids"]


def _digest(*parts: str) -> bytes:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "replace"), digest_size=24).digest()


def workflow_span_ids(workflow_id: str, run_id: str) -> tuple[int, int]:
    """``(trace_id, span_id)`` of the span of one workflow execution (never 0, as OTel requires)."""
    raw = _digest("mcp-agent-inspector/temporal", workflow_id, run_id)
    trace_id = int.from_bytes(raw[:16], "big") or 1
    span_id = int.from_bytes(raw[16:], "big") or 1
    return trace_id, span_id
