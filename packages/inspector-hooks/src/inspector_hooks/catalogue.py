"""The hook catalogue: every hook the bus knows, its keyword arguments and when it fires.

The upstream catalogue v1.2 (``mcp_agent.core.instrument``) is kept name for name and kwarg for kwarg; the
``inspector`` group adds the hooks this project's own parts emit. ``docs/hooks.md`` is generated from this module
(``scripts/gen-docs``) and a test fails when the two differ.

A hook's ``kwargs`` are its contract (every emit passes each of them); its ``extra`` kwargs are the ones the
inspector's own emit sites add (``server_name``, ``request_id``...): subscribers may read them, and must cope with
their absence (an upstream emitter passes only ``kwargs``). tests/contracts/test_emit_sites.py reads every emit site
and fails on a kwarg that is in neither.

Versioning (upstream rules): adding a hook or a kwarg is a minor change; renaming or removing one is major.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["CATALOGUE", "CATALOGUE_VERSION", "HOOKS", "HookSpec"]

CATALOGUE_VERSION = "1.2+inspector.1"


@dataclass(frozen=True)
class HookSpec:
    """One hook: its name, the keyword arguments every emit passes, when it fires, the version that added it, and
    the extra keyword arguments the inspector's emit sites add."""

    name: str
    kwargs: tuple[str, ...]
    when: str
    added: str
    group: str
    extra: tuple[str, ...] = ()


def _spec(group: str, added: str, name: str, kwargs: str, when: str, extra: str = "") -> HookSpec:
    return HookSpec(
        name=name, kwargs=tuple(kwargs.split()), when=when, added=added, group=group, extra=tuple(extra.split())
    )


_RPC_EXTRA = "server_name request_id direction mcp_session_id"
_TOOL_EXTRA = "server_name tool_kind agent"  # tool_kind: mcp, function (a local Python function) or human_input


CATALOGUE: tuple[HookSpec, ...] = (
    # Agent calls
    _spec("agent", "1.1", "before_agent_call", "agent", "before an agent is called"),
    _spec("agent", "1.1", "after_agent_call", "agent result", "after an agent call returns successfully"),
    _spec("agent", "1.1", "error_agent_call", "agent exc", "when an agent call raises"),
    # LLM generation
    _spec("llm", "1.0", "before_llm_generate", "llm prompt", "just before the provider is called"),
    _spec("llm", "1.0", "after_llm_generate", "llm prompt response usage", "after a generation returns successfully"),
    _spec("llm", "1.0", "error_llm_generate", "llm prompt exc", "when a generation raises"),
    # Tool calls
    _spec(
        "tool",
        "1.0",
        "before_tool_call",
        "tool_name args context",
        "right before the tool is resolved and called",
        _TOOL_EXTRA,
    ),
    _spec("tool", "1.0", "after_tool_call", "tool_name args result context", "after a tool call returns", _TOOL_EXTRA),
    _spec("tool", "1.0", "error_tool_call", "tool_name args exc context", "when a tool call raises", _TOOL_EXTRA),
    # Workflow runs (a workflow pattern's run adds workflow_type, and input when it starts)
    _spec(
        "workflow",
        "1.0",
        "before_workflow_run",
        "workflow context",
        "when a workflow run starts",
        "workflow_type workflow_id input",
    ),
    _spec(
        "workflow",
        "1.0",
        "after_workflow_run",
        "workflow context result",
        "after a workflow run returns",
        "workflow_type",
    ),
    _spec(
        "workflow", "1.0", "error_workflow_run", "workflow context exc", "when a workflow run raises", "workflow_type"
    ),
    # JSON-RPC
    _spec(
        "rpc", "1.0", "before_rpc_request", "envelope transport", "just before a JSON-RPC message is sent", _RPC_EXTRA
    ),
    _spec(
        "rpc",
        "1.0",
        "after_rpc_response",
        "envelope transport duration_ms",
        "when the JSON-RPC response arrives",
        f"{_RPC_EXTRA} request",
    ),
    _spec(
        "rpc",
        "1.0",
        "error_rpc_request",
        "envelope transport exc",
        "when the transport or the RPC fails",
        f"{_RPC_EXTRA} duration_ms",
    ),
    # Resources
    _spec("resource", "1.2", "before_resource_fetch", "uri context", "before a resource is read"),
    _spec(
        "resource", "1.2", "after_resource_fetch", "uri content mime_type context", "after a resource is read", "result"
    ),
    _spec("resource", "1.2", "error_resource_fetch", "uri exc context", "when reading a resource fails"),
    # Prompts
    _spec(
        "prompt", "1.2", "before_prompt_apply", "template_id parameters context", "before a prompt template is applied"
    ),
    _spec("prompt", "1.2", "after_prompt_apply", "template_id rendered context", "after a prompt template is rendered"),
    _spec(
        "prompt", "1.2", "error_prompt_apply", "template_id parameters exc context", "when applying a template fails"
    ),
    # Sessions
    _spec("session", "1.2", "session_started", "session_id metadata", "when a new session starts"),
    _spec(
        "session",
        "1.2",
        "session_paused",
        "session_id signal_name prompt",
        "when a session waits on a signal",
        "schema",
    ),
    _spec(
        "session",
        "1.2",
        "session_resumed",
        "session_id signal_name payload",
        "when a waiting session resumes (payload: the answer that ended the wait)",
        "action",
    ),
    _spec("session", "1.2", "session_finished", "session_id status error", "when a session ends"),
    # Model selection
    _spec("model", "1.2", "before_model_select", "preferences available_models context", "before a model is selected"),
    _spec("model", "1.2", "after_model_select", "selected_model scores context", "after a model is selected"),
    # Progress and cancellation
    _spec(
        "progress",
        "1.2",
        "progress_update",
        "operation_id percent message context",
        "when an operation reports progress",
        "progress total",
    ),
    _spec("progress", "1.2", "operation_cancelled", "operation_id context", "when an operation is cancelled"),
    # Transport
    _spec("transport", "1.2", "transport_connected", "transport_type uri", "when a transport comes up", "server_name"),
    _spec(
        "transport",
        "1.2",
        "transport_disconnected",
        "transport_type uri reason",
        "when a transport goes down",
        "server_name",
    ),
    _spec("transport", "1.2", "transport_reconnecting", "transport_type uri attempt", "on each reconnect attempt"),
    # The inspector's own hooks
    _spec(
        "inspector", "inspector.1", "span_started", "session_id span", "when a recorded span starts (a summary dict)"
    ),
    _spec("inspector", "inspector.1", "span_ended", "session_id span", "when a recorded span ends (a summary dict)"),
    _spec("inspector", "inspector.1", "storage_error", "path message exc", "when the trace exporter cannot write"),
    _spec("inspector", "inspector.1", "storage_recovered", "path", "when the trace exporter writes again"),
    _spec(
        "inspector",
        "inspector.1",
        "tool_resolved",
        "tool_name candidates selected_server resolution_time_ms",
        "when an aggregator resolves a tool name to a server",
    ),
    _spec(
        "inspector",
        "inspector.1",
        "workflow_state",
        "workflow name state",
        "when a workflow pattern records its structure (plan, routing, evaluations, hand-offs), each time it changes",
    ),
    _spec(
        "inspector",
        "inspector.1",
        "before_provider_request",
        "llm request iteration",
        "just before one request of a generation goes to the provider (a generation may make several)",
    ),
    _spec(
        "inspector",
        "inspector.1",
        "after_provider_request",
        "llm request response usage iteration",
        "when the provider answers one request",
    ),
    _spec(
        "inspector",
        "inspector.1",
        "error_provider_request",
        "llm request exc iteration",
        "when a provider request fails",
    ),
    _spec(
        "inspector",
        "inspector.1",
        "before_sampling_request",
        "params server_name",
        "when a server's sampling/createMessage request reaches the client, before the client answers it",
        "request_id transport",
    ),
    _spec(
        "inspector",
        "inspector.1",
        "after_sampling_request",
        "params result server_name",
        "when the client has its answer to a sampling request (result: the message, or an error answer)",
        "request_id transport",
    ),
    _spec(
        "inspector",
        "inspector.1",
        "error_sampling_request",
        "params exc server_name",
        "when answering a sampling request raises",
        "request_id transport",
    ),
)

HOOKS: MappingProxyType[str, HookSpec] = MappingProxyType({spec.name: spec for spec in CATALOGUE})
