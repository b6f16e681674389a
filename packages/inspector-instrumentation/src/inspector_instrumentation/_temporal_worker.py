"""Whether an ``MCPApp.run()`` is the one mcp-agent's ``create_temporal_worker_for_app`` opens.

That app session lasts as long as the worker and holds no span of its own (each run the worker executes is a session
of its own, a child of whoever started it), so it is titled as what it is: the app's Temporal worker and the task
queue it polls. ``create_temporal_worker_for_app`` is not patched (a program imports it by name, often before the
inspector is installed): the app run looks for its code among its callers instead.
"""

from __future__ import annotations

import inspect
import sys
from types import CodeType, FrameType
from typing import Any

__all__ = ["worker_title"]

_CALLERS = 16  # how far up the callers it looks (the worker's frame is about three up)


def _worker_code() -> CodeType | None:
    module = sys.modules.get("mcp_agent.executor.temporal")  # never imported here: a worker has imported it
    factory = getattr(module, "create_temporal_worker_for_app", None)
    if factory is None:
        return None
    code = getattr(inspect.unwrap(factory), "__code__", None)
    return code if isinstance(code, CodeType) else None


def worker_title(app_name: str, running: Any) -> str | None:
    """The app session's title when this ``app.run()`` is entered by ``create_temporal_worker_for_app`` (called from
    the app run itself), else None."""
    code = _worker_code()
    if code is None:
        return None
    frame: FrameType | None = sys._getframe(1)
    for _ in range(_CALLERS):
        if frame is None:
            return None
        if frame.f_code is code:
            break
        frame = frame.f_back
    else:
        return None
    queue = getattr(getattr(getattr(running, "config", None), "temporal", None), "task_queue", None)
    return f"{app_name} · Temporal worker ({queue})" if queue else f"{app_name} · Temporal worker"
