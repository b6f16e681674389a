"""Where each catalogue hook is emitted from in released mcp-agent 0.2.6 (a column of docs/hooks.md)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["NO_SITE", "SITES"]

NO_SITE = "no site in 0.2.6"

_GENERATE = "mcp_agent.workflows.llm.augmented_llm.AugmentedLLM subclasses: generate/generate_str/generate_structured"
_AGENT = f"{_GENERATE} (outermost call of an LLM that has an agent; 0.2.6 has no Agent.call)"
_SEND = (
    "mcp.client.session.ClientSession.send_request/send_notification as "
    "mcp_agent.mcp.mcp_agent_client_session.MCPAgentClientSession.send_request/send_notification call them"
)
_INBOUND = "mcp.server.lowlevel.server.Server._handle_request (inbound)"
_RPC = f"{_SEND}; {_INBOUND}"
_WAIT = "mcp_agent.executor.executor.Executor.wait_for_signal/AsyncioExecutor.wait_for_signal"
_ELICIT = "mcp_agent.mcp.mcp_agent_client_session.MCPAgentClientSession._handle_elicitation_callback"
_SAMPLING = "mcp_agent.mcp.mcp_agent_client_session.MCPAgentClientSession._handle_sampling_callback (inspector hook)"
_APPROVE = "mcp_agent.mcp.sampling_handler.SamplingHandler._human_approve_request/_human_approve_response"
_SESSION = (
    "mcp_agent.app.MCPApp.run; mcp_agent.executor.workflow.Workflow.run_async (+ its run task's completion); "
    + _INBOUND
)

_REQUEST = (
    "mcp_agent.executor.executor.Executor.execute of OpenAICompletionTasks/AnthropicCompletionTasks."
    "request_completion_task (each request of a generation; inspector hook)"
)

SITES: Mapping[str, str] = MappingProxyType(
    {
        "before_agent_call": _AGENT,
        "after_agent_call": _AGENT,
        "error_agent_call": _AGENT,
        "before_llm_generate": _GENERATE,
        "after_llm_generate": f"{_GENERATE} (usage from mcp_agent.tracing.token_counter.TokenCounter.record_usage)",
        "error_llm_generate": _GENERATE,
        "before_tool_call": "mcp_agent.agents.agent.Agent.call_tool",
        "after_tool_call": "mcp_agent.agents.agent.Agent.call_tool",
        "error_tool_call": "mcp_agent.agents.agent.Agent.call_tool",
        "before_workflow_run": "mcp_agent.executor.workflow.Workflow.run_async",
        "after_workflow_run": "mcp_agent.executor.workflow.Workflow.run_async (done callback of Workflow._run_task)",
        "error_workflow_run": "mcp_agent.executor.workflow.Workflow.run_async (done callback of Workflow._run_task)",
        "before_rpc_request": _RPC,
        "after_rpc_response": _RPC,
        "error_rpc_request": _RPC,
        "before_resource_fetch": "mcp_agent.agents.agent.Agent.read_resource",
        "after_resource_fetch": "mcp_agent.agents.agent.Agent.read_resource",
        "error_resource_fetch": "mcp_agent.agents.agent.Agent.read_resource",
        "before_prompt_apply": "mcp_agent.agents.agent.Agent.get_prompt",
        "after_prompt_apply": "mcp_agent.agents.agent.Agent.get_prompt",
        "error_prompt_apply": "mcp_agent.agents.agent.Agent.get_prompt (also when the result has isError)",
        "session_started": _SESSION,
        "session_paused": f"{_WAIT}; {_ELICIT}; {_APPROVE}",
        "session_resumed": f"{_WAIT}; {_ELICIT}; {_APPROVE}",
        "session_finished": _SESSION,
        "before_model_select": "mcp_agent.workflows.llm.augmented_llm.AugmentedLLM.select_model",
        "after_model_select": "mcp_agent.workflows.llm.augmented_llm.AugmentedLLM.select_model",
        "progress_update": "mcp_agent.mcp.mcp_agent_client_session.MCPAgentClientSession._received_notification "
        "(notifications/progress from a server)",
        "operation_cancelled": "mcp_agent.executor.workflow.Workflow.run_async (run task ended cancelled)",
        "transport_connected": "mcp_agent.mcp.mcp_agent_client_session.MCPAgentClientSession.initialize",
        "transport_disconnected": "mcp_agent.mcp.mcp_agent_client_session.MCPAgentClientSession.__aexit__",
        "transport_reconnecting": NO_SITE,
        "span_started": "inspector_otel (not an mcp-agent site)",
        "span_ended": "inspector_otel (not an mcp-agent site)",
        "storage_error": "inspector_otel exporter (not an mcp-agent site)",
        "storage_recovered": "inspector_otel exporter (not an mcp-agent site)",
        "tool_resolved": "mcp_agent.mcp.mcp_aggregator.MCPAggregator._parse_capability_name (inspector hook)",
        "workflow_state": "mcp_agent.workflows: Orchestrator, DeepOrchestrator, LLMRouter/EmbeddingRouter, "
        "ParallelLLM, EvaluatorOptimizerLLM, intent classifiers, Swarm (inspector hook)",
        "before_provider_request": _REQUEST,
        "after_provider_request": _REQUEST,
        "error_provider_request": _REQUEST,
        "before_sampling_request": _SAMPLING,
        "after_sampling_request": _SAMPLING,
        "error_sampling_request": _SAMPLING,
    }
)
