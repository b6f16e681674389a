"""Demo workflows driven by mcp-agent's real provider classes against the local fake provider (no key, no network).

``SwarmWorkflow``: ``OpenAISwarm`` — a triage agent hands off to a writer through a function tool, the writer looks
the weather up (demo server) and ends the swarm. ``ClassifyWorkflow``: ``OpenAILLMIntentClassifier``, then
``OpenAIEmbeddingRouter`` (embeddings) picks an agent, which answers with ``AnthropicAugmentedLLM`` (a tool call in
between, so its generation makes two provider requests).

Each run calls ``use_fake_provider(settings)``: it starts the process's one ``FakeProvider`` (on first use) and points
the app's settings and the SDKs' environment variables at it.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from mcp_agent.agents.agent import Agent
from mcp_agent.config import Settings
from mcp_agent.executor.workflow import Workflow, WorkflowResult
from mcp_agent.workflows.intent_classifier.intent_classifier_base import Intent
from mcp_agent.workflows.intent_classifier.intent_classifier_llm_openai import OpenAILLMIntentClassifier
from mcp_agent.workflows.llm.augmented_llm import AugmentedLLM
from mcp_agent.workflows.llm.augmented_llm_anthropic import AnthropicAugmentedLLM
from mcp_agent.workflows.router.router_embedding_openai import OpenAIEmbeddingRouter
from mcp_agent.workflows.swarm.swarm import DoneAgent, SwarmAgent
from mcp_agent.workflows.swarm.swarm_openai import OpenAISwarm

from inspector_demo.demo_server import SERVER_NAME
from inspector_demo.fake_provider import FakeProvider, Reply, Turn

__all__ = ["ClassifyWorkflow", "SwarmWorkflow", "demo_responder", "use_fake_provider"]

_lock = threading.Lock()
_provider: FakeProvider | None = None


def _speaker(turn: Turn) -> str:
    first = turn.system.split(".")[0]
    return first.removeprefix("You are ").strip() if first.startswith("You are ") else "assistant"


def demo_responder(turn: Turn) -> Reply:
    """The fake model's script for the demo's provider-backed workflows."""
    if turn.schema == "StructuredIntentResponse":
        return Reply(
            data={
                "classifications": [
                    {"intent": "weather", "p_score": 0.92, "confidence": "high", "reasoning": "asks about the sky"},
                    {"intent": "smalltalk", "p_score": 0.31, "confidence": "low", "reasoning": "friendly tone"},
                ]
            }
        )
    if turn.schema is not None:
        return Reply(data={})
    if "transfer_to_writer" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("transfer_to_writer", {}),))
    if "finish" in turn.tools and turn.last_text.startswith("Please resolve"):
        return Reply(tool_calls=(("finish", {}),))
    if "demo_lookup_weather" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("demo_lookup_weather", {"city": "Osaka"}),))
    return Reply(text=f"{_speaker(turn)}: {turn.last_text[:160]}")


def use_fake_provider(settings: Settings | None) -> FakeProvider:
    """Start the process's fake provider (once) and point ``settings`` and the SDK environment variables at it."""
    global _provider
    with _lock:
        if _provider is None:
            _provider = FakeProvider(demo_responder).start()
        provider = _provider
    if settings is not None:
        settings.openai = provider.openai_settings()
        settings.anthropic = provider.anthropic_settings()
    os.environ.update(provider.environ())
    return provider


class SwarmWorkflow(Workflow[str]):
    """mcp-agent's Swarm (OpenAI): triage hands off to a writer, who looks the weather up and ends the swarm."""

    async def run(self, request: str = "Write a weather note for Osaka.") -> WorkflowResult[str]:
        use_fake_provider(self.context.config)

        def finish() -> DoneAgent:
            """End the conversation."""
            return DoneAgent()  # type: ignore[no-untyped-call]

        writer = SwarmAgent(
            name="writer",
            instruction="You are writer. Write weather notes.",
            server_names=[SERVER_NAME],
            functions=[finish],
            context=self.context,
        )

        def transfer_to_writer() -> SwarmAgent:
            """Hand the conversation to the writer."""
            return writer

        triage = SwarmAgent(
            name="triage",
            instruction="You are triage. Send each request to the right agent.",
            functions=[transfer_to_writer],
            context=self.context,
        )
        swarm = OpenAISwarm(agent=triage, context_variables={"city": "Osaka"})
        text = await swarm.generate_str(request)
        return WorkflowResult(value=text)


class ClassifyWorkflow(Workflow[str]):
    """An LLM intent classifier, an embedding router, and the routed agent answering with Anthropic's class."""

    async def run(self, request: str = "What is the weather forecast in Osaka?") -> WorkflowResult[str]:
        use_fake_provider(self.context.config)
        intents = [
            Intent(name="weather", description="questions about the weather forecast"),
            Intent(name="smalltalk", description="greetings and chat"),
            Intent(name="maths", description="arithmetic"),
        ]
        classifier = OpenAILLMIntentClassifier(intents=intents, context=self.context)
        found = await classifier.classify(request, top_k=1)
        agents: list[Agent | AugmentedLLM[Any, Any]] = [
            Agent(
                name="forecaster",
                instruction="You are forecaster. weather forecast temperature",
                server_names=[SERVER_NAME],
            ),
            Agent(name="calculator", instruction="You are calculator. add numbers arithmetic"),
        ]
        router = await OpenAIEmbeddingRouter.create(agents=agents, context=self.context)
        try:
            chosen = await router.route_to_agent(request, top_k=1)
        finally:
            client = getattr(router.embedding_model, "client", None)
            if client is not None:
                client.close()  # mcp-agent never closes the client it builds
        agent: Any = chosen[0] if chosen else agents[0]
        async with agent:
            llm = await agent.attach_llm(AnthropicAugmentedLLM)
            answer = await llm.generate_str(request)
        intent = found[0].intent if found else "unknown"
        return WorkflowResult(value=f"[{intent} → {agent.name}] {answer}")
