"""The demo's ``@app.workflow`` classes; each run is one asyncio session in the inspector.

``ToolsWorkflow`` (tool calls, a resource, a prompt, an elicitation), ``ApprovalWorkflow`` (pauses for human input),
and one workflow per mcp-agent pattern: ``OrchestratorWorkflow``, ``RouterWorkflow``, ``ParallelWorkflow``,
``EvaluatorOptimizerWorkflow`` (scripted LLM), and, with mcp-agent's real provider classes against the local fake
provider, ``SwarmWorkflow`` and ``ClassifyWorkflow`` (intent classifier, embedding router). Every ``run`` takes one
optional argument, as mcp-agent's Temporal engine needs.
"""

from __future__ import annotations

import json
from contextlib import AsyncExitStack
from typing import Any

from mcp.types import TextContent, TextResourceContents
from mcp_agent.agents.agent import Agent
from mcp_agent.app import MCPApp
from mcp_agent.executor.workflow import Workflow, WorkflowResult
from mcp_agent.human_input.types import HumanInputRequest, HumanInputResponse
from mcp_agent.workflows.evaluator_optimizer.evaluator_optimizer import EvaluatorOptimizerLLM, QualityRating
from mcp_agent.workflows.orchestrator.orchestrator import Orchestrator
from mcp_agent.workflows.parallel.parallel_llm import ParallelLLM
from mcp_agent.workflows.router.router_llm import LLMRouter

from inspector_demo.demo_server import CONFIG_URI, HANDBOOK_URI, SERVER_NAME
from inspector_demo.policies import demo_policy, tools_policy
from inspector_demo.provider_workflows import ClassifyWorkflow, SwarmWorkflow
from inspector_demo.scripted_llm import scripted_factory

APPROVAL_PROMPT = "Approve the demo report? Any answer resumes the run."


def _agent(workflow: Workflow[Any], name: str, instruction: str, servers: bool = True) -> Agent:
    return Agent(
        name=name,
        instruction=instruction,
        server_names=[SERVER_NAME] if servers else [],
        context=workflow.context,
    )


class ToolsWorkflow(Workflow[str]):
    """An agent whose LLM calls the demo tools; plus a resource read, a prompt get and, optionally, an elicitation."""

    async def run(self, elicit: bool = True) -> WorkflowResult[str]:
        agent = _agent(self, "analyst", "Use the demo tools to write a short report.")
        async with agent:
            handbook = await agent.read_resource(HANDBOOK_URI, server_name=SERVER_NAME)
            config = await agent.read_resource(CONFIG_URI, server_name=SERVER_NAME)
            prompt = await agent.get_prompt("summarize", {"topic": "the weather", "style": "short"}, SERVER_NAME)
            llm = await agent.attach_llm(scripted_factory(tools_policy(elicit=elicit)))
            first = prompt.messages[0].content if prompt.messages else None
            request = first.text if isinstance(first, TextContent) else "Summarize the weather."
            report = await llm.generate_str(request)
        lines = [c.text for c in handbook.contents if isinstance(c, TextResourceContents)]
        settings = [json.loads(c.text) for c in config.contents if isinstance(c, TextResourceContents)]
        cities = len(settings[0].get("cities", [])) if settings else 0
        return WorkflowResult(value=f"{report} (handbook: {len(''.join(lines))} chars; config: {cities} cities)")


class ApprovalWorkflow(Workflow[str]):
    """Asks a human to approve; stays paused on mcp-agent's human-input signal until answered.

    While it waits, ``pending_request.request_id`` is the signal name it waits on (mcp-agent makes it up).
    """

    pending_request: HumanInputRequest | None = None

    async def run(self, auto_answer: bool = False) -> WorkflowResult[str]:
        agent = Agent(name="approver", instruction="Ask a human for approval.", context=self.context)
        request = HumanInputRequest(
            prompt=APPROVAL_PROMPT,
            description=APPROVAL_PROMPT,
            workflow_id=self.id,
            run_id=self.run_id,
            metadata={"auto_answer": auto_answer},
        )
        self.pending_request = request  # request_human_input fills in request.request_id before it waits
        async with agent:
            answer = await agent.request_human_input(request)
        self.pending_request = None
        return WorkflowResult(value=f"approved: {answer.response}")


def waiting_request_id(app: MCPApp, workflow: Workflow[Any] | None) -> str | None:
    """The human-input signal an ApprovalWorkflow run waits on right now, or None if it is not waiting."""
    request = getattr(workflow, "pending_request", None)
    request_id = getattr(request, "request_id", None)
    pending: dict[str, Any] = getattr(getattr(app.context.executor, "signal_bus", None), "_pending_signals", {})
    return request_id if request_id and request_id in pending else None


async def answer_approval(app: MCPApp, run_id: str, answer: str) -> bool:
    """Resume a paused ApprovalWorkflow run through mcp-agent's executor signal; False if it is not waiting."""
    registry, executor = app.context.workflow_registry, app.context.executor
    if registry is None or executor is None:
        return False
    request_id = waiting_request_id(app, await registry.get_workflow(run_id=run_id))
    if request_id is None:
        return False
    await executor.signal(request_id, payload=HumanInputResponse(request_id=request_id, response=answer))
    return True


class OrchestratorWorkflow(Workflow[str]):
    """mcp-agent's Orchestrator: a planner splits the objective over two agents, a synthesizer joins the results."""

    async def run(self, objective: str = "Write a weather note for Paris.") -> WorkflowResult[str]:
        async with AsyncExitStack() as stack:
            researcher = await stack.enter_async_context(_agent(self, "researcher", "Look up facts with tools."))
            writer = await stack.enter_async_context(_agent(self, "writer", "Write clearly.", servers=False))
            orchestrator = Orchestrator(
                llm_factory=scripted_factory(demo_policy),
                available_agents=[researcher, writer],
                plan_type="full",
                name="demo-orchestrator",
                context=self.context,
            )
            text = await orchestrator.generate_str(objective)
        return WorkflowResult(value=text)


class RouterWorkflow(Workflow[str]):
    """mcp-agent's LLMRouter picks an agent for the request and hands the request to it."""

    async def run(self, request: str = "What is the weather in Lima?") -> WorkflowResult[str]:
        async with AsyncExitStack() as stack:
            weather = await stack.enter_async_context(_agent(self, "weather", "Answers weather questions."))
            maths = await stack.enter_async_context(_agent(self, "maths", "Answers arithmetic questions."))
            router = await LLMRouter.create(
                name="demo", llm_factory=scripted_factory(demo_policy), agents=[weather, maths], context=self.context
            )
            text = await router.generate_str(request)
        return WorkflowResult(value=text)


class ParallelWorkflow(Workflow[str]):
    """mcp-agent's ParallelLLM: three agents answer in parallel (fan-out), one merges their answers (fan-in)."""

    async def run(self, question: str = "How is the weather today?") -> WorkflowResult[str]:
        async with AsyncExitStack() as stack:
            fan_out = [
                await stack.enter_async_context(_agent(self, f"reporter_{city}", f"Report the weather in {city}."))
                for city in ("paris", "lagos", "osaka")
            ]
            fan_in = _agent(self, "editor", "Merge the reports into one.", servers=False)
            parallel: ParallelLLM[Any, Any] = ParallelLLM(
                fan_in_agent=fan_in,
                fan_out_agents=fan_out,
                llm_factory=scripted_factory(demo_policy),
                name="demo-parallel",
                context=self.context,
            )
            text = await parallel.generate_str(question)
        return WorkflowResult(value=text)


class EvaluatorOptimizerWorkflow(Workflow[str]):
    """mcp-agent's EvaluatorOptimizerLLM: a writer drafts, a critic rates, the writer refines once."""

    async def run(self, task: str = "Write a one-line weather haiku.") -> WorkflowResult[str]:
        optimizer = _agent(self, "poet", "Write short poems.", servers=False)
        evaluator = _agent(self, "critic", "Rate poems strictly.", servers=False)
        loop: EvaluatorOptimizerLLM[Any, Any] = EvaluatorOptimizerLLM(
            optimizer=optimizer,
            evaluator=evaluator,
            llm_factory=scripted_factory(demo_policy),
            min_rating=QualityRating.EXCELLENT,
            max_refinements=2,
            name="demo-evaluator-optimizer",
            context=self.context,
        )
        text = await loop.generate_str(task)
        return WorkflowResult(value=text)


WORKFLOWS: tuple[type[Workflow[Any]], ...] = (
    ToolsWorkflow,
    ApprovalWorkflow,
    OrchestratorWorkflow,
    RouterWorkflow,
    ParallelWorkflow,
    EvaluatorOptimizerWorkflow,
    SwarmWorkflow,
    ClassifyWorkflow,
)
"""Every demo workflow class; a round runs them in this order, but starts ``ApprovalWorkflow`` last (it waits)."""


def register_workflows(app: MCPApp) -> None:
    """Register every demo workflow on ``app`` (what ``@app.workflow`` does), so the app serves them over MCP too."""
    for cls in WORKFLOWS:
        app.workflow(cls)
