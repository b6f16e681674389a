"""A user's program with console human input: mcp-agent's own ``console_input_callback`` answers the
``__human_input__`` tool that the model (the real OpenAI provider class against the fake provider) calls.

``python console_human.py TRACES_DIR [--inspector]``: the human types the answer on stdin. With ``--inspector`` the
inspector is installed (instrumentation + trace files in TRACES_DIR) the way ``mount()`` does; without, the program
is exactly the user's. Prints the model's final text on stdout.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from inspector_demo.fake_provider import FakeProvider, Reply, Turn
from inspector_demo.settings import demo_settings
from mcp_agent.agents.agent import Agent
from mcp_agent.app import MCPApp
from mcp_agent.human_input.console_handler import console_input_callback
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM

QUESTION = "Which colour should the logo be?"


def _model(turn: Turn) -> Reply:
    if "__human_input__" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("__human_input__", {"request": {"prompt": QUESTION}}),))
    return Reply(text=f"The human answered: {turn.last_text}")


async def main(traces: Path, inspector: bool) -> None:
    with FakeProvider(_model) as fake:
        os.environ.update(fake.environ())
        if inspector:
            import inspector_instrumentation
            import inspector_otel

            inspector_instrumentation.install()
            inspector_otel.install(traces)
        settings = demo_settings(log_path=traces / "mcp-agent.jsonl")
        settings.openai = fake.openai_settings()
        app = MCPApp(name="console_human", settings=settings, human_input_callback=console_input_callback)
        async with app.run():
            agent = Agent(name="designer", instruction="Ask the human.", human_input_callback=console_input_callback)
            async with agent:
                llm = await agent.attach_llm(OpenAIAugmentedLLM)
                sys.stdout.write(await llm.generate_str("Pick the logo colour") + "\n")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), "--inspector" in sys.argv[2:]))
