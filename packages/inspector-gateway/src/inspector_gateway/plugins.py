"""Plugin assembly with pluggy: built-in plugins, the started backends, then the entry-point group
``mcp_agent_inspector.plugins``.

The backends (``inspector_hooks.backends``: the instrumentation, the OTel exporter...) are started by ``mount()``
before the gateway is assembled; their modules are registered here as plugins too (the instrumentation answers
``inspector_session_control``), and the ones that failed are listed with the failed plugins.

Environment: ``INSPECTOR_PLUGINS_AUTOLOAD=0`` skips entry points (tests), ``INSPECTOR_PLUGINS_BLOCK=a,b`` blocks
plugins by entry name, ``INSPECTOR_TRACE_PLUGINS=1`` logs every hook call. A plugin that fails to import or
register is recorded (served at ``GET /plugins``) and never raises into the host.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Sequence
from importlib.metadata import entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from inspector_hooks.backends import ENTRY_POINT_GROUP, BackendRecord

from . import hookspecs
from ._settings import env_flag
from ._state import PluginRecord

if TYPE_CHECKING:
    from ._state import GatewayState

__all__ = ["DEFAULT_PLUGINS", "ENTRY_POINT_GROUP", "build_plugin_manager", "collect"]

logger = logging.getLogger(__name__)

DEFAULT_PLUGINS: tuple[str, ...] = ("inspector_gateway._builtin",)


def build_plugin_manager(
    gateway: GatewayState, extra_plugins: tuple[object, ...] = (), backends: Sequence[BackendRecord] = ()
) -> pluggy.PluginManager:
    """Register the default plugins, ``extra_plugins``, the started ``backends`` and the entry points; record
    failures on ``gateway``."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for blocked in (b.strip() for b in os.environ.get("INSPECTOR_PLUGINS_BLOCK", "").split(",")):
        if blocked:
            pm.set_blocked(blocked)
    for dotted in DEFAULT_PLUGINS:
        _register(gateway, pm, dotted, lambda d=dotted: importlib.import_module(d), None, None)
    for plugin in extra_plugins:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        _register(gateway, pm, name, lambda p=plugin: p, None, None)
    for record in backends:
        if pm.is_blocked(record.name) or pm.has_plugin(record.name):
            continue
        if record.error is not None:  # reported by inspector_hooks.backends: shown, not retried
            gateway.failed_plugins.append(
                PluginRecord(
                    name=record.name, distribution=record.distribution, version=record.version, error=record.error
                )
            )
            continue
        _register(gateway, pm, record.name, lambda m=record.module: m, record.distribution, record.version)
    tried = {p.name for p in gateway.plugins} | {p.name for p in gateway.failed_plugins}
    if env_flag("INSPECTOR_PLUGINS_AUTOLOAD", True):
        try:
            found = list(entry_points(group=ENTRY_POINT_GROUP))
        except Exception as exc:  # a broken metadata directory must not stop the gateway
            gateway.failed_plugins.append(PluginRecord(name="<entry points>", error=repr(exc)))
            found = []
        for ep in found:
            if pm.is_blocked(ep.name) or pm.has_plugin(ep.name) or ep.name in tried:
                continue
            dist = ep.dist
            _register(gateway, pm, ep.name, ep.load, dist.name if dist else None, dist.version if dist else None)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        logger.warning("plugin declares an unknown hook: %s", exc)
        gateway.failed_plugins.append(PluginRecord(name="<check_pending>", error=str(exc)))
    if env_flag("INSPECTOR_TRACE_PLUGINS", False):
        pm.trace.root.setwriter(lambda msg: logger.info("%s", msg.rstrip()))
        pm.enable_tracing()
    return pm


def _register(
    gateway: GatewayState,
    pm: pluggy.PluginManager,
    name: str,
    load: Any,
    dist: str | None,
    version: str | None,
) -> None:
    try:
        plugin = load()
        pm.register(plugin, name=name)
    except Exception as exc:
        logger.warning("inspector plugin %r failed to load: %r", name, exc)
        gateway.failed_plugins.append(PluginRecord(name=name, distribution=dist, version=version, error=repr(exc)))
        return
    if version is None and isinstance(plugin, ModuleType):
        version = getattr(plugin, "__version__", None)
    gateway.plugins.append(PluginRecord(name=name, distribution=dist, version=version))


def collect(gateway: GatewayState, pm: pluggy.PluginManager) -> list[Any]:
    """Ask the plugins for sources, search index, UI assets, listeners and routes; return the extra routes.

    A plugin whose hook raises is recorded as failed; the others still count.
    """
    gateway.pm = pm
    hook = pm.hook
    for result in _call(gateway, hook.inspector_session_sources):
        gateway.sources.extend(result or [])
    for result in _call(gateway, hook.inspector_session_controls):
        gateway.controls.extend(result or [])
    try:
        gateway.search_index = hook.inspector_search_index(gateway=gateway)
    except Exception as exc:
        gateway.failed_plugins.append(PluginRecord(name="<search_index>", error=repr(exc)))
    try:
        gateway.session_control = hook.inspector_session_control(gateway=gateway)
    except Exception as exc:
        gateway.failed_plugins.append(PluginRecord(name="<session_control>", error=repr(exc)))
    gateway.ui_assets.extend(a for a in _call(gateway, hook.inspector_ui_assets) if a is not None)
    for listeners in _call(gateway, hook.inspector_event_listeners):
        gateway.hub.add_listeners(listeners or [])
    routes: list[Any] = []
    for result in _call(gateway, hook.inspector_routes):
        routes.extend(result or [])
    return routes


def _call(gateway: GatewayState, caller: Any) -> list[Any]:
    """Call each implementation on its own (pluggy's own loop stops at the first exception), newest first."""
    results: list[Any] = []
    trace = env_flag("INSPECTOR_TRACE_PLUGINS", False)
    for impl in reversed(caller.get_hookimpls()):
        if trace:
            logger.info("hook %s: calling %s", caller.name, impl.plugin_name)
        try:
            results.append(impl.function(gateway=gateway))
        except Exception as exc:
            logger.warning("plugin %r failed in %s: %r", impl.plugin_name, caller.name, exc)
            gateway.failed_plugins.append(PluginRecord(name=impl.plugin_name, error=f"{caller.name}: {exc!r}"))
    return results
