"""The test rig itself: mcp-agent 0.2.6's real OpenAI and Anthropic classes run their tool loop and structured output
against the fake provider, with the stdio demo server doing the tool call."""

from __future__ import annotations

import numpy as np
import pytest
from inspector_demo.fake_provider import EMBEDDING_DIM, Reply, embed_text
from mcp_agent.agents.agent import Agent
from mcp_agent.workflows.embedding.embedding_openai import OpenAIEmbeddingModel
from mcp_agent.workflows.llm.augmented_llm_anthropic import AnthropicAugmentedLLM
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM
from pydantic import BaseModel


class Total(BaseModel):
    total: int


def _adder(turn):
    if turn.schema == "Total":
        return Reply(data={"total": 42})
    if "demo_add" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("demo_add", {"a": 40, "b": 2}),))
    return Reply(text=f"The sum is {turn.last_text}.")


@pytest.mark.parametrize("llm_class", [OpenAIAugmentedLLM, AnthropicAugmentedLLM])
async def test_real_provider_class_runs_tool_loop_and_structured_output(fake, make_app, llm_class):
    fake.responder = _adder
    app = make_app()
    async with app.run():
        agent = Agent(name="adder", instruction="Add numbers.", server_names=["demo"])
        async with agent:
            llm = await agent.attach_llm(llm_class)
            text = await llm.generate_str("add 40 and 2")
            total = await llm.generate_structured("the total, please", Total)
    assert "The sum is 42." in text
    assert total == Total(total=42)
    api = "openai" if llm_class is OpenAIAugmentedLLM else "anthropic"
    assert [(t.api, t.schema, t.after_tool) for t in fake.log.turns] == [
        (api, None, False),
        (api, None, True),
        (api, "Total", False),
    ]
    assert fake.log.turns[1].last_text == "42"  # the real stdio server's answer went back to the model


async def test_embeddings_are_deterministic_and_similar_texts_are_near(fake, make_app):
    app = make_app()
    async with app.run() as running:
        model = OpenAIEmbeddingModel(context=running.context)
        vectors = await model.embed(["weather in Paris", "the weather in Paris today", "add two numbers"])
        model.client.close()  # mcp-agent never closes the sync client it builds
    assert vectors.shape == (3, EMBEDDING_DIM)
    assert np.allclose(vectors[0], embed_text("weather in Paris"))
    near, far = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert near > 0.5 > far
    assert fake.log.embeddings == [["weather in Paris", "the weather in Paris today", "add two numbers"]]
