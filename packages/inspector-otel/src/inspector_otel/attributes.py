"""The attribute catalogue: every span attribute inspector_otel writes, the hook that sets it, and its standard twin.

``docs/telemetry.md`` holds a table generated from ``ATTRIBUTES`` (``python -m inspector_otel.attributes
docs/telemetry.md`` rewrites it; a test fails when they differ). Status values:

* ``implemented`` — set whenever its hook fires; the demo run shows it in the written files (a test checks it);
* ``conditional`` — implemented, but only set on a path the demo does not take (errors, transport events...);
* ``future`` — named by the upstream spec, not produced yet.

``in_0_2_6`` says whether released mcp-agent 0.2.6 sets this key (or an equivalent) on its own spans.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ATTRIBUTES", "AttributeSpec", "BEGIN_MARK", "END_MARK", "render_table", "update_doc"]


@dataclass(frozen=True)
class AttributeSpec:
    """One span attribute."""

    name: str
    type: str
    hooks: str
    status: str
    in_0_2_6: str
    standard: str
    notes: str = ""


def _a(name: str, type_: str, hooks: str, status: str, in_026: str, standard: str, notes: str = "") -> AttributeSpec:
    return AttributeSpec(name, type_, hooks, status, in_026, standard, notes)


IMPL, COND, FUT = "implemented", "conditional", "future"

ATTRIBUTES: tuple[AttributeSpec, ...] = (
    # every span
    _a(
        "session.id",
        "string",
        "(exporter, span start)",
        IMPL,
        "resource only",
        "OpenInference `session.id`",
        "our session (context var), else the resource's, else `unscoped-<pid>`",
    ),
    # sessions and inbound requests (spans we create)
    _a("mcp.engine.type", "string", "session_started", IMPL, "no", "-", "on session/inbound spans"),
    _a("mcp.session.title", "string", "session_started", IMPL, "no", "-"),
    _a("mcp.session.parent_id", "string", "session_started", IMPL, "no", "-"),
    _a("mcp.session.paused", "bool", "session_paused, session_resumed", COND, "no", "-", "plus span events"),
    _a("mcp.request_id", "string", "session_started (mcp-inbound)", IMPL, "no", "-", "X-MCP-Request-Id"),
    # workflow runs (span `workflow.run` we create)
    _a("mcp.workflow.type", "string", "before_workflow_run", IMPL, "no", "`gen_ai.workflow.name`", "class name"),
    _a("mcp.workflow.id", "string", "before_workflow_run (workflow_id)", IMPL, "no", "-", "the run's workflow id"),
    _a("run.id", "string", "before_workflow_run", IMPL, "no", "-", "the run id (Temporal run_id on Temporal)"),
    _a(
        "mcp.workflow.input_json",
        "JSON",
        "before_workflow_run (input)",
        IMPL,
        "no",
        "OpenInference `input.value`",
        "the run's arguments (a pattern run: its message)",
    ),
    _a("mcp.workflow.output_json", "JSON", "after_workflow_run", IMPL, "no", "OpenInference `output.value`"),
    _a("gen_ai.workflow.name", "string", "before_workflow_run", IMPL, "no", "(standard)"),
    # workflow patterns (span `workflow.run` with mcp.workflow.type = the pattern)
    _a(
        "mcp.workflow.class",
        "string",
        "before_workflow_run (workflow_type)",
        IMPL,
        "no",
        "-",
        "a pattern run's class (`Orchestrator`, `OpenAILLMRouter`...)",
    ),
    _a(
        "mcp.result.plan_json",
        "JSON",
        "workflow_state (plan)",
        IMPL,
        "no",
        "-",
        "orchestrator/deep_orchestrator: objective, steps, their tasks (agent, status, result)",
    ),
    _a(
        "mcp.result.router_decision_json",
        "JSON",
        "workflow_state (router_decision)",
        IMPL,
        "no",
        "-",
        "router: every candidate route with score or confidence/reasoning, and the selected ones",
    ),
    _a(
        "mcp.result.evaluation_json",
        "JSON",
        "workflow_state (evaluation)",
        IMPL,
        "no",
        "-",
        "evaluator_optimizer: each iteration's response, rating, feedback",
    ),
    _a(
        "mcp.result.parallel_json",
        "JSON",
        "workflow_state (parallel)",
        IMPL,
        "no",
        "-",
        "parallel: fan-out members with their responses, and the fan-in",
    ),
    _a(
        "mcp.result.handoffs_json",
        "JSON",
        "workflow_state (handoffs)",
        IMPL,
        "no",
        "-",
        "swarm: the agents in the order they took over, each hand-off",
    ),
    _a(
        "mcp.result.intent_classification_json",
        "JSON",
        "workflow_state (intent_classification)",
        IMPL,
        "no",
        "-",
        "intent_classifier: every intent with its score/confidence, the selected ones",
    ),
    # agents
    _a(
        "mcp.agent.name",
        "string",
        "before_agent_call, before_tool_call (agent)",
        IMPL,
        "as gen_ai.agent.name",
        "`gen_ai.agent.name`",
        "on `tool.call`: the agent that called the tool",
    ),
    _a("mcp.agent.class", "string", "before_agent_call", IMPL, "no", "-"),
    _a("gen_ai.agent.name", "string", "before_agent_call", IMPL, "yes", "(standard)"),
    # LLM
    _a(
        "mcp.llm.prompt_json",
        "JSON",
        "before_llm_generate",
        IMPL,
        "no (flattened keys)",
        "`gen_ai.input.messages`",
        "list of MCP messages `{role, content[]}`",
    ),
    _a("mcp.llm.response_json", "JSON", "after_llm_generate", IMPL, "no", "`gen_ai.output.messages`"),
    _a("mcp.llm.provider", "string", "before_llm_generate", IMPL, "partial", "`gen_ai.provider.name`"),
    _a(
        "mcp.llm.model",
        "string",
        "before_llm_generate, before_provider_request",
        IMPL,
        "as gen_ai.request.model",
        "`gen_ai.request.model`",
        "the LLM's default model, then the one its provider requests ask for",
    ),
    _a("mcp.stop_reason", "string", "after_llm_generate", COND, "partial", "`gen_ai.response.finish_reasons`"),
    _a("gen_ai.provider.name", "string", "before_llm_generate", IMPL, "no", "(standard)"),
    _a("gen_ai.request.model", "string", "before_llm_generate", IMPL, "yes", "(standard)"),
    _a("gen_ai.usage.input_tokens", "int", "after_llm_generate (usage)", IMPL, "yes (providers)", "(standard)"),
    _a("gen_ai.usage.output_tokens", "int", "after_llm_generate (usage)", IMPL, "yes (providers)", "(standard)"),
    _a("llm.token_count.prompt", "int", "after_llm_generate (usage)", IMPL, "no", "OpenInference"),
    _a("llm.token_count.completion", "int", "after_llm_generate (usage)", IMPL, "no", "OpenInference"),
    _a("llm.token_count.total", "int", "after_llm_generate (usage)", IMPL, "no", "OpenInference"),
    _a(
        "mcp.llm.request.iteration",
        "int",
        "before_provider_request",
        IMPL,
        "no",
        "-",
        "on `llm.request` (one per provider request; `mcp.llm.prompt_json`/`response_json` are what it sent/got)",
    ),
    _a("mcp.llm.request.tool_count", "int", "before_provider_request", IMPL, "no", "-", "tools offered"),
    _a(
        "mcp.llm.request.input_tokens",
        "int",
        "after_provider_request (usage)",
        IMPL,
        "no",
        "`gen_ai.usage.input_tokens` of the request",
        "this request alone; the generation keeps the totals",
    ),
    _a("mcp.llm.request.output_tokens", "int", "after_provider_request (usage)", IMPL, "no", "-", "this request alone"),
    _a("gen_ai.response.model", "string", "after_provider_request", IMPL, "yes (providers)", "(standard)"),
    _a("gen_ai.response.id", "string", "after_provider_request", IMPL, "yes (providers)", "(standard)"),
    _a("mcp.llm.history_snapshot", "JSON", "-", FUT, "no", "-", "3-understand task"),
    # tools
    _a("mcp.tool.name", "string", "before_tool_call", IMPL, "draft key on send_request", "`gen_ai.tool.name`"),
    _a("mcp.tool.input_json", "JSON", "before_tool_call", IMPL, "no (flattened)", "`gen_ai.tool.call.arguments`"),
    _a(
        "mcp.tool.output_json",
        "JSON",
        "after_tool_call",
        IMPL,
        "no (flattened)",
        "`gen_ai.tool.call.result`",
        "`{isError, content}`",
    ),
    _a(
        "mcp.tool.kind",
        "string",
        "before_tool_call (tool_kind)",
        IMPL,
        "no",
        "-",
        "`mcp` (a server's tool), `function` (a local Python function), `human_input`",
    ),
    _a("mcp.tool.structured_output_json", "JSON", "after_tool_call", COND, "no", "-", "when `structuredContent`"),
    _a("gen_ai.tool.name", "string", "before_tool_call", IMPL, "yes", "(standard)"),
    _a("gen_ai.tool.call.id", "string", "before_tool_call (tool_call_id)", COND, "yes (LLM call_tool)", "(standard)"),
    # aggregator
    _a("mcp.aggregator.tool_name", "string", "tool_resolved / tool-call extras", IMPL, "no", "-"),
    _a("mcp.aggregator.candidates", "int", "tool_resolved / tool-call extras", IMPL, "no", "-"),
    _a("mcp.aggregator.selected_server", "string", "tool_resolved / tool-call extras", IMPL, "partial", "-"),
    _a("mcp.aggregator.resolution_time_ms", "float", "tool_resolved / tool-call extras", IMPL, "no", "-"),
    # resources and prompts
    _a("mcp.resource.uri", "string", "before_resource_fetch", IMPL, "as `uri`", "`mcp.resource.uri` (same)"),
    _a("mcp.resource.mime_type", "string", "after_resource_fetch", IMPL, "no", "-"),
    _a("mcp.resource.bytes", "int", "after_resource_fetch", IMPL, "no", "-"),
    _a(
        "mcp.resource.content_json",
        "JSON",
        "after_resource_fetch",
        IMPL,
        "no",
        "OpenInference `output.value`",
        "what the fetch returned (the text, or the result's contents)",
    ),
    _a("mcp.prompt.template_id", "string", "before_prompt_apply", IMPL, "as `name`", "`gen_ai.prompt.name`"),
    _a(
        "mcp.prompt.parameters_json",
        "JSON",
        "before_prompt_apply",
        IMPL,
        "no (flattened)",
        "OpenInference `llm.prompt_template.variables`",
    ),
    _a("gen_ai.prompt.name", "string", "before_prompt_apply", IMPL, "draft mcp.prompt.name", "(standard)"),
    # model selection, progress
    _a("mcp.model.preferences_json", "JSON", "before_model_select", COND, "no", "-"),
    _a("mcp.progress.token", "string", "progress_update", COND, "no", "-", "plus a `progress` span event"),
    _a("mcp.cancellation.requested", "bool", "operation_cancelled", COND, "no", "-"),
    # JSON-RPC
    _a("mcp.jsonrpc.version", "string", "before_rpc_request", IMPL, "no", "`jsonrpc.protocol.version`"),
    _a("mcp.rpc.method", "string", "before_rpc_request", IMPL, "as mcp.method.name", "`mcp.method.name`"),
    _a("mcp.method.name", "string", "before_rpc_request", IMPL, "yes", "(standard)"),
    _a(
        "mcp.rpc.id",
        "string",
        "before_rpc_request",
        IMPL,
        "no",
        "`jsonrpc.request.id`",
        "when the emitter knows the id",
    ),
    _a("jsonrpc.request.id", "string", "before_rpc_request", IMPL, "no", "(standard)"),
    _a("mcp.rpc.request_json", "JSON", "before_rpc_request", IMPL, "no", "-"),
    _a("mcp.rpc.response_json", "JSON", "after_rpc_response", IMPL, "no", "-"),
    _a("mcp.rpc.duration_ms", "int", "after_rpc_response", IMPL, "no", "span duration"),
    _a("mcp.rpc.transport", "string", "before_rpc_request", IMPL, "no", "`network.transport`"),
    _a("network.transport", "string", "before_rpc_request", IMPL, "no", "(standard: pipe/tcp)"),
    _a("mcp.rpc.direction", "string", "before_rpc_request", IMPL, "no", "span kind CLIENT/SERVER"),
    _a("mcp.rpc.server_name", "string", "before_rpc_request (server_name)", IMPL, "no", "-"),
    _a("mcp.rpc.retry_count", "int", "-", FUT, "no", "-"),
    _a("mcp.rpc.server_uri", "string", "-", FUT, "no", "`server.address`/`server.port`"),
    # transport
    _a("mcp.transport.status", "string", "after_rpc_response, error_rpc_request, transport_*", IMPL, "no", "-"),
    _a("mcp.transport.reconnect_count", "int", "transport_reconnecting", COND, "no", "-"),
    _a("mcp.transport.config_json", "JSON", "-", FUT, "no", "-"),
    # status / errors
    _a("mcp.status.code", "string", "after_* / error_*", IMPL, "no", "span status"),
    _a(
        "mcp.error.code",
        "string",
        "error_*",
        COND,
        "no",
        "`error.type`",
        "CANCELLED, TIMEOUT, else the exception class name",
    ),
    _a("mcp.error.message", "string", "error_*", COND, "no", "span status message"),
    _a("error.type", "string", "error_*, after_tool_call (isError)", COND, "no", "(standard; `tool_error`)"),
    _a("rpc.response.status_code", "string", "after_rpc_response (error envelope)", COND, "no", "(standard)"),
    # standard operation / kind keys
    _a(
        "gen_ai.operation.name",
        "string",
        "before_llm_generate, before_tool_call, before_workflow_run",
        IMPL,
        "no",
        "(standard: chat, execute_tool, invoke_workflow)",
    ),
    _a(
        "openinference.span.kind",
        "string",
        "before_* hooks, session_started",
        IMPL,
        "no",
        "(OpenInference: LLM, TOOL, CHAIN, AGENT, PROMPT, RETRIEVER)",
    ),
    _a("input.value", "JSON", "before_tool_call, before_workflow_run", IMPL, "no", "(OpenInference)"),
    _a("output.value", "JSON", "after_tool_call, after_workflow_run", IMPL, "no", "(OpenInference)"),
    # state
    _a("mcp.state.<name>_json", "JSON", "capture_state()", COND, "no", "-", "explicit snapshot"),
    _a("mcp.result.<description>_json", "JSON", "@dump_state_to_span", COND, "no", "-", "a function's return value"),
    _a("<key>_truncated", "bool", "(any `*_json` key)", COND, "no", "-", "set when a value was cut at 30,720 chars"),
)

BEGIN_MARK = "<!-- BEGIN ATTRIBUTES (generated by scripts/gen-docs from inspector_otel/attributes.py) -->"
END_MARK = "<!-- END ATTRIBUTES -->"


def render_table() -> str:
    """The markdown table of ``ATTRIBUTES`` (one row per attribute, ``|`` separated, machine-parseable)."""
    rows = ["| attribute | type | hook | status | in mcp-agent 0.2.6 | standard equivalent | notes |"]
    rows.append("|---|---|---|---|---|---|---|")
    for a in ATTRIBUTES:
        cells = [f"`{a.name}`", a.type, a.hooks, a.status, a.in_0_2_6, a.standard, a.notes]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows) + "\n"


def update_doc(path: Path) -> bool:
    """Rewrite the generated section of ``path``; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(BEGIN_MARK)
    _, sep2, tail = rest.partition(END_MARK)
    if not sep or not sep2:
        raise ValueError(f"{path} lacks the {BEGIN_MARK!r} / {END_MARK!r} markers")
    new = f"{head}{BEGIN_MARK}\n{render_table()}{END_MARK}{tail}"
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        changed = update_doc(Path(arg))
        sys.stdout.write(f"{arg}: {'updated' if changed else 'up to date'}\n")
