"""install()/uninstall(): idempotent, reversible, and a logged no-op with INSPECTOR_ENABLE_PATCH=0."""

from __future__ import annotations

import logging

from inspector_demo import ScriptedLLM
from mcp.client.session import ClientSession
from mcp_agent.agents.agent import Agent
from mcp_agent.executor.executor import AsyncioExecutor, Executor
from mcp_agent.executor.workflow import Workflow
from mcp_agent.logging.transport import AsyncEventBus
from mcp_agent.mcp.mcp_agent_client_session import MCPAgentClientSession
from mcp_agent.workflows.llm.augmented_llm import AugmentedLLM

import inspector_instrumentation
from inspector_hooks.catalogue import CATALOGUE

WATCHED = [
    (Agent, "call_tool"),
    (Agent, "read_resource"),
    (Agent, "get_prompt"),
    (Workflow, "run_async"),
    (Executor, "wait_for_signal"),
    (AsyncioExecutor, "wait_for_signal"),
    (ClientSession, "send_request"),  # inherited from BaseSession: added by install, deleted by uninstall
    (ClientSession, "send_notification"),
    (MCPAgentClientSession, "initialize"),  # inherited: added by install, deleted by uninstall
    (AsyncEventBus, "emit"),
    (AugmentedLLM, "__init_subclass__"),
    (ScriptedLLM, "generate"),
    (ScriptedLLM, "generate_str"),
]


def _snapshot():
    return {(cls.__name__, name): cls.__dict__.get(name) for cls, name in WATCHED}


def test_install_is_idempotent_and_uninstall_restores_every_original():
    before = _snapshot()
    assert not inspector_instrumentation.installed()
    assert inspector_instrumentation.install()
    try:
        patched = _snapshot()
        assert all(patched[key] is not before[key] for key in before), "every watched attribute is patched"
        assert inspector_instrumentation.install()  # second install: no-op
        assert _snapshot() == patched
    finally:
        inspector_instrumentation.uninstall()
    assert _snapshot() == before
    assert "initialize" not in MCPAgentClientSession.__dict__
    inspector_instrumentation.uninstall()  # second uninstall: no-op
    assert _snapshot() == before


def test_subclass_defined_while_installed_is_restored_too(installed):
    class Later(ScriptedLLM):
        async def generate_str(self, message, request_params=None):
            return await super().generate_str(message, request_params)

    wrapped = Later.__dict__["generate_str"]
    assert getattr(wrapped, "__inspector_wrapped__", False)
    inspector_instrumentation.uninstall()
    assert not getattr(Later.__dict__["generate_str"], "__inspector_wrapped__", False)
    assert inspector_instrumentation.install()  # the fixture uninstalls again


def test_disabled_by_env_is_a_logged_no_op(monkeypatch, caplog):
    monkeypatch.setenv("INSPECTOR_ENABLE_PATCH", "0")
    before = _snapshot()
    with caplog.at_level(logging.INFO, logger="inspector_instrumentation"):
        assert inspector_instrumentation.install() is False
    assert not inspector_instrumentation.installed()
    assert _snapshot() == before
    assert "INSPECTOR_ENABLE_PATCH=0" in caplog.text


def test_every_catalogue_hook_has_a_site():
    names = {spec.name for spec in CATALOGUE}
    missing = names - set(inspector_instrumentation.SITES)
    assert not missing
    assert all(isinstance(v, str) and v for v in inspector_instrumentation.SITES.values())
    assert inspector_instrumentation.SITES["before_tool_call"] == "mcp_agent.agents.agent.Agent.call_tool"
