"""One ``Hook`` object per catalogue name, for guarded call sites.

Usage::

    from inspector_hooks import hooks

    if hooks.before_tool_call:
        hooks.before_tool_call.emit(tool_name=name, args=args, context=ctx)

A test keeps this module equal to ``catalogue.CATALOGUE``.
"""

from __future__ import annotations

from ._bus import Hook, hook

__all__ = [
    "after_agent_call",
    "after_llm_generate",
    "after_model_select",
    "after_prompt_apply",
    "after_provider_request",
    "after_resource_fetch",
    "after_rpc_response",
    "after_sampling_request",
    "after_tool_call",
    "after_workflow_run",
    "before_agent_call",
    "before_llm_generate",
    "before_model_select",
    "before_prompt_apply",
    "before_provider_request",
    "before_resource_fetch",
    "before_rpc_request",
    "before_sampling_request",
    "before_tool_call",
    "before_workflow_run",
    "error_agent_call",
    "error_llm_generate",
    "error_prompt_apply",
    "error_provider_request",
    "error_resource_fetch",
    "error_rpc_request",
    "error_sampling_request",
    "error_tool_call",
    "error_workflow_run",
    "operation_cancelled",
    "progress_update",
    "session_finished",
    "session_paused",
    "session_resumed",
    "session_started",
    "span_ended",
    "span_started",
    "storage_error",
    "storage_recovered",
    "tool_resolved",
    "transport_connected",
    "transport_disconnected",
    "transport_reconnecting",
    "workflow_state",
]

# agent
before_agent_call: Hook = hook("before_agent_call")
after_agent_call: Hook = hook("after_agent_call")
error_agent_call: Hook = hook("error_agent_call")
# llm
before_llm_generate: Hook = hook("before_llm_generate")
after_llm_generate: Hook = hook("after_llm_generate")
error_llm_generate: Hook = hook("error_llm_generate")
# tool
before_tool_call: Hook = hook("before_tool_call")
after_tool_call: Hook = hook("after_tool_call")
error_tool_call: Hook = hook("error_tool_call")
# workflow
before_workflow_run: Hook = hook("before_workflow_run")
after_workflow_run: Hook = hook("after_workflow_run")
error_workflow_run: Hook = hook("error_workflow_run")
# rpc
before_rpc_request: Hook = hook("before_rpc_request")
after_rpc_response: Hook = hook("after_rpc_response")
error_rpc_request: Hook = hook("error_rpc_request")
# resource
before_resource_fetch: Hook = hook("before_resource_fetch")
after_resource_fetch: Hook = hook("after_resource_fetch")
error_resource_fetch: Hook = hook("error_resource_fetch")
# prompt
before_prompt_apply: Hook = hook("before_prompt_apply")
after_prompt_apply: Hook = hook("after_prompt_apply")
error_prompt_apply: Hook = hook("error_prompt_apply")
# session
session_started: Hook = hook("session_started")
session_paused: Hook = hook("session_paused")
session_resumed: Hook = hook("session_resumed")
session_finished: Hook = hook("session_finished")
# model
before_model_select: Hook = hook("before_model_select")
after_model_select: Hook = hook("after_model_select")
# progress
progress_update: Hook = hook("progress_update")
operation_cancelled: Hook = hook("operation_cancelled")
# transport
transport_connected: Hook = hook("transport_connected")
transport_disconnected: Hook = hook("transport_disconnected")
transport_reconnecting: Hook = hook("transport_reconnecting")
# inspector
span_started: Hook = hook("span_started")
span_ended: Hook = hook("span_ended")
storage_error: Hook = hook("storage_error")
storage_recovered: Hook = hook("storage_recovered")
tool_resolved: Hook = hook("tool_resolved")
workflow_state: Hook = hook("workflow_state")
before_provider_request: Hook = hook("before_provider_request")
after_provider_request: Hook = hook("after_provider_request")
error_provider_request: Hook = hook("error_provider_request")
before_sampling_request: Hook = hook("before_sampling_request")
after_sampling_request: Hook = hook("after_sampling_request")
error_sampling_request: Hook = hook("error_sampling_request")
