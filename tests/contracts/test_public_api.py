"""Each package's public names are its __all__; this pins them so a change to the API is a visible decision."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PUBLIC_API = {
    "inspector_hooks": [
        "Hook",
        "Subscriber",
        "_emit",
        "_hooks",
        "backends",
        "catalogue",
        "context",
        "hook",
        "hooks",
        "register",
        "registry",
        "subscribers",
        "unregister",
    ],
    "inspector_hooks.context": ["bind", "get", "reset", "set"],
    "inspector_hooks.backends": ["Backend", "BackendRecord", "ENTRY_POINT_GROUP", "install", "installed", "uninstall"],
    "inspector_instrumentation.plugin": ["BACKEND", "SessionControl", "inspector_session_control"],
    "inspector_otel.plugin": ["BACKEND"],
    "inspector_hooks.testing": ["HookCall", "capture_hook"],
    "inspector_hooks.catalogue": ["CATALOGUE", "CATALOGUE_VERSION", "HOOKS", "HookSpec"],
    "inspector_hooks.labels": [
        "LABEL_MAX",
        "OPERATION_LABEL_KEYS",
        "RPC_FIRST_KEYS",
        "RPC_NAME_SUFFIXES",
        "SEARCH_KEYS",
        "label_keys",
        "render_typescript",
        "span_label",
    ],
    "inspector_hooks.tracefile": [
        "ACCESS_POINT_BYTES",
        "CUT_KEY",
        "CUT_LIMIT",
        "LOCATOR",
        "COVERED_ID",
        "START_BIT",
        "LOCATOR_SUFFIX",
        "SIDECARS_DIR",
        "SIDECAR_SUFFIXES",
        "SKELETON_SUFFIX",
        "SUMMARY_SUFFIX",
        "SkeletonBuilder",
        "LLM_SPAN",
        "MAX_USES",
        "PartSummary",
        "USE_KEYS",
        "read_summary",
        "check_sidecar",
        "covered_entry",
        "covered_size",
        "encoded_size",
        "find_locator",
        "find_locator_entry",
        "locator_entry",
        "read_record_at",
        "sidecar_name",
        "sidecar_path",
        "sidecar_paths",
        "skeleton_attributes",
        "skeleton_record",
        "END_STATUSES",
        "FORMAT_VERSION",
        "LineDecoder",
        "RECORD_TYPES",
        "SESSION",
        "SESSION_END",
        "SESSION_ID_PATTERN",
        "SESSION_ID_RE",
        "SESSION_PAUSED",
        "SESSION_RESUMED",
        "SPAN",
        "SPAN_FIELDS",
        "SPAN_PREFIX",
        "SPAN_START",
        "SPAN_START_FIELDS",
        "TracePart",
        "SUFFIX",
        "WRITERS_DIR",
        "WRITER_NAME_RE",
        "append_records",
        "check_part",
        "decode_record",
        "encode_record",
        "new_writer_name",
        "parse_part_name",
        "part_name",
        "part_path",
        "read_lines",
        "resolve_inside",
        "session_end_record",
        "session_paused_record",
        "session_record",
        "session_resumed_record",
        "span_start_record",
        "trace_parts",
        "utc_from_timestamp",
        "utc_now",
        "valid_session_id",
        "writer_gone",
    ],
    "inspector_instrumentation": [
        "ENV_ENABLE_PATCH",
        "InstrumentationError",
        "InvalidPayload",
        "NO_SITE",
        "NotWaiting",
        "SITES",
        "TOOL_RESOLVED",
        "UnknownSession",
        "Waiting",
        "control",
        "errors",
        "heal_event_bus",
        "install",
        "installed",
        "stop_event_bus",
        "uninstall",
    ],
    "inspector_instrumentation.control": ["ALIASES", "Waiting", "cancel", "signal", "waiting"],
    "inspector_instrumentation.errors": ["InstrumentationError", "InvalidPayload", "NotWaiting", "UnknownSession"],
    "inspector_otel": [
        "FALLBACK_SESSION_PREFIX",
        "InspectorOtelError",
        "InspectorTracerProvider",
        "InvalidSessionIdError",
        "MAX_ATTRIBUTE_CHARS",
        "TraceFileError",
        "TraceFileProcessor",
        "capture_state",
        "default_traces_dir",
        "dump_state_to_span",
        "install",
        "installed",
        "uninstall",
    ],
    "inspector_otel.testing": ["read_session", "read_trace"],
    "inspector_gateway": [
        "ControlOutcome",
        "DEFAULT_PLUGINS",
        "DEFAULT_PORT",
        "MOUNT_PATH",
        "ENTRY_POINT_GROUP",
        "EventListener",
        "GatewayState",
        "HTTPProblem",
        "InspectorGatewayError",
        "InspectorSettings",
        "InvalidSessionId",
        "Mounted",
        "PluginLoadError",
        "PluginRecord",
        "SearchHit",
        "SearchIndex",
        "SearchPage",
        "SearchQuery",
        "SessionControl",
        "SessionInfo",
        "SessionSource",
        "UIAssets",
        "create_gateway",
        "default_traces_dir",
        "hookimpl",
        "hookspec",
        "mount",
        "resolve_settings",
        "serve",
    ],
    "inspector_gateway.hookspecs": ["PROJECT_NAME", "hookimpl", "hookspec"],
    "inspector_cli": ["cli", "main"],
    # what the CLI reads without a gateway (it imports no private module of the gateway: test_cli_uses_public_names)
    "inspector_gateway.sessions": [
        "FileSession",
        "PriceTable",
        "TraceDirectory",
        "load_prices",
        "to_otlp",
        "trace_parts",
        "usage_row",
    ],
    "inspector_gateway.security": [
        "ADDRESS_FILE",
        "LiveToken",
        "SECURITY_HEADERS",
        "SecurityMiddleware",
        "ServedAddress",
        "TOKEN_ENV",
        "TOKEN_FILE",
        "TOKEN_HEADER",
        "relative_path",
        "resolve_token",
        "rotate_token",
        "safe_trace_path",
        "served_address",
        "validate_session_id",
    ],
    "inspector_gateway.search": [
        "LIFECYCLE_METHODS",
        "MARK_END",
        "MARK_START",
        "MAX_TEXT_CHARS",
        "SearchSpan",
        "Term",
        "decode_search_span",
        "fts5_expression",
        "is_lifecycle",
        "mark_terms",
        "parse_query",
        "snippet_of",
        "span_text",
    ],
    "inspector_sqlite_index": ["INDEX_NAME", "Progress", "SqliteSearchIndex"],
    "inspector_temporal": ["InspectorInterceptor", "install", "installed", "uninstall", "workflow_span_ids"],
    "inspector_visualizers": ["STATIC_DIR", "VISUALIZERS"],
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC_API))
def test_public_api_is_pinned(module_name):
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PUBLIC_API[module_name])
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name}"


@pytest.mark.parametrize(
    "package",
    [
        "inspector_hooks",
        "inspector_instrumentation",
        "inspector_otel",
        "inspector_gateway",
        "inspector_cli",
        "inspector_sqlite_index",
        "inspector_temporal",
        "inspector_visualizers",
    ],
)
def test_versions_are_lockstep(package):
    import inspector_hooks

    assert importlib.import_module(package).__version__ == inspector_hooks.__version__ == "0.1.0"


def _private_gateway_imports(source: str) -> list[str]:
    """``inspector_gateway`` modules or names starting with ``_`` that ``source`` imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "inspector_gateway":
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.split(".")[0] == "inspector_gateway"]
        else:
            continue
        found += [name for name in names if any(part.startswith("_") for part in name.split("."))]
    return found


def test_cli_uses_public_names():
    """The CLI reads trace files through the gateway's public API only (``inspector_gateway.sessions``, ``.security``
    and the top level, pinned above), so the gateway's private modules can change freely."""
    import inspector_cli

    sources = Path(inspector_cli.__file__).parent.glob("*.py")
    private = {path.name: found for path in sources if (found := _private_gateway_imports(path.read_text()))}
    assert private == {}
    assert _private_gateway_imports("from inspector_gateway.sessions._otlp import to_otlp")  # the check sees one
