"""Span ids every process computes alike for one workflow execution.

* The workflow span's (``workflow_span_ids``): a worker restarted mid-run, or another worker running one of its
  activities, parents its spans under the same workflow span without asking anyone.
* The spans started inside workflow code (``WorkflowSpanIds``): the n-th span a run's workflow code starts gets
  an id computed from the workflow id, the run id and n. Workflow code is deterministic, so when a workflow task
  runs again live (it failed and Temporal retried it, or a worker died in the middle of it and another one took
  over), the spans it starts again get the ids they had the first time: the records written again describe the
  same spans (the later record wins), never a second copy. Outside workflow code ids stay random.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

import temporalio.workflow as wf

__all__ = ["WorkflowSpanIds", "workflow_span_ids"]


def _digest(*parts: str) -> bytes:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "replace"), digest_size=24).digest()


def workflow_span_ids(workflow_id: str, run_id: str) -> tuple[int, int]:
    """``(trace_id, span_id)`` of the span of one workflow execution (never 0, as OTel requires)."""
    raw = _digest("mcp-agent-inspector/temporal", workflow_id, run_id)
    trace_id = int.from_bytes(raw[:16], "big") or 1
    span_id = int.from_bytes(raw[16:], "big") or 1
    return trace_id, span_id


class WorkflowSpanIds:
    """Counts the spans each run's workflow code starts (``begin`` when a workflow instance starts running the
    run from its beginning, ``end`` when it stops) and gives the n-th one its computed id; ``wrap`` puts it in
    front of an OTel ``IdGenerator``'s ``generate_span_id``."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}  # run id -> spans started by the run's current workflow instance
        self._lock = threading.Lock()

    def begin(self, run_id: str) -> None:
        with self._lock:
            self._counts[run_id] = 0
            if len(self._counts) > 100_000:  # instances that never reported their end (never expected)
                self._counts.clear()
                self._counts[run_id] = 0

    def end(self, run_id: str) -> None:
        with self._lock:
            self._counts.pop(run_id, None)

    def next_id(self) -> int | None:
        """The id of the span workflow code starts now, or None outside workflow code (or of a run not counted)."""
        if not self._counts:
            return None
        try:
            if not wf.in_workflow():
                return None
            info = wf.info()
            workflow_id, run_id = info.workflow_id, info.run_id
        except Exception:
            return None
        with self._lock:
            n = self._counts.get(run_id)
            if n is None:
                return None
            self._counts[run_id] = n + 1
        return int.from_bytes(_digest("mcp-agent-inspector/temporal/span", workflow_id, run_id, str(n))[:8], "big") or 1

    def wrap(self, generator: Any) -> bool:
        """Make ``generator`` (an SDK ``IdGenerator``) give workflow code's spans their computed ids; idempotent."""
        current = getattr(generator, "generate_span_id", None)
        if current is None or getattr(current, "_inspector_temporal", False):
            return False
        original: Callable[[], int] = current

        def generate_span_id() -> int:
            computed = self.next_id()
            return original() if computed is None else computed

        generate_span_id._inspector_temporal = True  # type: ignore[attr-defined]
        generate_span_id._original = original  # type: ignore[attr-defined]
        generator.generate_span_id = generate_span_id
        return True


def unwrap(generator: Any) -> None:
    """Undo ``WorkflowSpanIds.wrap``."""
    current = getattr(generator, "generate_span_id", None)
    if getattr(current, "_inspector_temporal", False):
        del generator.generate_span_id
