"""The catalogue keeps the upstream v1.2 contract exactly, and the per-hook objects match it."""

from __future__ import annotations

import inspect

import inspector_hooks
from inspector_hooks import hooks
from inspector_hooks.catalogue import CATALOGUE, HOOKS

# The upstream catalogue v1.2 (instrumentation-hooks.md), written out independently of catalogue.py.
UPSTREAM_V1_2 = {
    "before_agent_call": ("agent",),
    "after_agent_call": ("agent", "result"),
    "error_agent_call": ("agent", "exc"),
    "before_llm_generate": ("llm", "prompt"),
    "after_llm_generate": ("llm", "prompt", "response", "usage"),
    "error_llm_generate": ("llm", "prompt", "exc"),
    "before_tool_call": ("tool_name", "args", "context"),
    "after_tool_call": ("tool_name", "args", "result", "context"),
    "error_tool_call": ("tool_name", "args", "exc", "context"),
    "before_workflow_run": ("workflow", "context"),
    "after_workflow_run": ("workflow", "context", "result"),
    "error_workflow_run": ("workflow", "context", "exc"),
    "before_rpc_request": ("envelope", "transport"),
    "after_rpc_response": ("envelope", "transport", "duration_ms"),
    "error_rpc_request": ("envelope", "transport", "exc"),
    "before_resource_fetch": ("uri", "context"),
    "after_resource_fetch": ("uri", "content", "mime_type", "context"),
    "error_resource_fetch": ("uri", "exc", "context"),
    "before_prompt_apply": ("template_id", "parameters", "context"),
    "after_prompt_apply": ("template_id", "rendered", "context"),
    "error_prompt_apply": ("template_id", "parameters", "exc", "context"),
    "session_started": ("session_id", "metadata"),
    "session_paused": ("session_id", "signal_name", "prompt"),
    "session_resumed": ("session_id", "signal_name", "payload"),
    "session_finished": ("session_id", "status", "error"),
    "before_model_select": ("preferences", "available_models", "context"),
    "after_model_select": ("selected_model", "scores", "context"),
    "progress_update": ("operation_id", "percent", "message", "context"),
    "operation_cancelled": ("operation_id", "context"),
    "transport_connected": ("transport_type", "uri"),
    "transport_disconnected": ("transport_type", "uri", "reason"),
    "transport_reconnecting": ("transport_type", "uri", "attempt"),
}


def test_every_upstream_hook_is_in_the_catalogue_with_its_kwargs():
    for name, kwargs in UPSTREAM_V1_2.items():
        assert name in HOOKS, name
        assert HOOKS[name].kwargs == kwargs, name


def test_catalogue_names_are_unique_and_follow_the_naming_convention():
    names = [spec.name for spec in CATALOGUE]
    assert len(names) == len(set(names))
    for spec in CATALOGUE:
        assert spec.name.isidentifier()
        assert spec.name == spec.name.lower()
        assert spec.when
        assert spec.added
        assert spec.group
        if spec.name.startswith("error_"):
            assert "exc" in spec.kwargs


def test_hooks_module_has_one_hook_object_per_catalogue_name():
    assert sorted(hooks.__all__) == sorted(HOOKS)
    for spec in CATALOGUE:
        target = getattr(hooks, spec.name)
        assert isinstance(target, inspector_hooks.Hook)
        assert target is inspector_hooks.hook(spec.name)
        assert target.spec is spec


def test_generated_emitters_take_exactly_the_catalogue_kwargs():
    for spec in CATALOGUE:
        target = inspector_hooks.hook(spec.name)
        for emitter in (target.emit, target.aemit):
            params = inspect.signature(emitter).parameters
            named = [p.name for p in params.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
            assert tuple(named) == spec.kwargs
            assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
