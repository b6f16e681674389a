"""``install()``/``uninstall()``: apply and remove every patch, once, reversibly."""

from __future__ import annotations

import logging
import os
import threading

from ._patcher import Patcher

__all__ = ["ENV_ENABLE_PATCH", "install", "installed", "uninstall"]

logger = logging.getLogger(__name__)

ENV_ENABLE_PATCH = "INSPECTOR_ENABLE_PATCH"

_lock = threading.Lock()
_patcher: Patcher | None = None


def _disabled_by_env() -> bool:
    return os.environ.get(ENV_ENABLE_PATCH, "1").strip().lower() in {"0", "false", "no", "off"}


def install() -> bool:
    """Make mcp-agent 0.2.6 emit the hook catalogue. Idempotent: a second call is a no-op.

    Returns True when the patches are in place after the call. With ``INSPECTOR_ENABLE_PATCH=0`` it logs and does
    nothing (returns False). If a patch cannot be applied, everything applied so far is undone, the failure is logged
    and False is returned: the host's program runs unpatched, never broken.
    """
    global _patcher
    with _lock:
        if _patcher is not None:
            return True
        if _disabled_by_env():
            logger.info("%s=0: inspector instrumentation not installed", ENV_ENABLE_PATCH)
            return False
        patcher = Patcher()
        try:
            import mcp_agent.app  # noqa: F401  # mcp_agent's own import order (its logging modules are circular)

            from ._agent import patch_agents
            from ._event_bus import patch_event_bus
            from ._inbound import patch_inbound
            from ._llm import patch_llms
            from ._patterns import patch_patterns
            from ._rpc import patch_rpc
            from ._sampling import patch_sampling
            from ._signals import patch_signals
            from ._workflow import patch_workflows

            for step in (
                patch_event_bus,
                patch_workflows,
                patch_patterns,
                patch_llms,
                patch_agents,
                patch_rpc,
                patch_sampling,
                patch_signals,
                patch_inbound,
            ):
                step(patcher)
        except Exception:
            logger.exception("inspector instrumentation could not be installed; mcp-agent runs unpatched")
            patcher.restore_all()
            return False
        _patcher = patcher
        logger.debug("inspector instrumentation installed (%d patches)", len(patcher))
        return True


def uninstall() -> None:
    """Restore every original attribute. A no-op when not installed."""
    global _patcher
    with _lock:
        if _patcher is None:
            return
        _patcher.restore_all()
        _patcher = None


def installed() -> bool:
    """Whether the patches are in place."""
    return _patcher is not None
