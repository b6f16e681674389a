"""A user's program with console human turns, answered on stdin by mcp-agent's own console handlers.

``python console_human.py TRACES_DIR [--inspector] [--elicit]``: by default ``console_input_callback`` answers the
``__human_input__`` tool that the model (the real OpenAI provider class against the fake provider) calls, and the
model's final text is printed; with ``--elicit`` the agent calls the stdio demo server's ``ask_user`` tool, whose
``elicitation/create`` mcp-agent's ``console_elicitation_callback`` answers field by field, and the tool's result is
printed. With ``--inspector`` the inspector's instrumentation and trace exporter (files in TRACES_DIR) are
installed; without, the program is exactly the user's.
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
from mcp_agent.elicitation.handler import console_elicitation_callback
from mcp_agent.human_input.console_handler import console_input_callback
from mcp_agent.workflows.llm.augmented_llm_openai import OpenAIAugmentedLLM

QUESTION = "Which colour should the logo be?"


def _model(turn: Turn) -> Reply:
    if "__human_input__" in turn.tools and not turn.after_tool:
        return Reply(tool_calls=(("__human_input__", {"request": {"prompt": QUESTION}}),))
    return Reply(text=f"The human answered: {turn.last_text}")


async def main(traces: Path, inspector: bool, elicit: bool) -> None:
    with FakeProvider(_model) as fake:
        os.environ.update(fake.environ())
        if inspector:
            import inspector_instrumentation
            import inspector_otel

            inspector_instrumentation.install()
            inspector_otel.install(traces)
        settings = demo_settings(log_path=traces / "mcp-agent.jsonl")
        settings.openai = fake.openai_settings()
        app = MCPApp(
            name="console_human",
            settings=settings,
            human_input_callback=console_input_callback,
            elicitation_callback=console_elicitation_callback,
        )
        async with app.run():
            if elicit:
                asker = Agent(name="asker", server_names=["demo"])
                async with asker:
                    result = await asker.call_tool("demo_ask_user", {"question": QUESTION})
                    sys.stdout.write(str(getattr(result.content[0], "text", "")) + "\n")
                return
            agent = Agent(name="designer", instruction="Ask the human.", human_input_callback=console_input_callback)
            async with agent:
                llm = await agent.attach_llm(OpenAIAugmentedLLM)
                sys.stdout.write(await llm.generate_str("Pick the logo colour") + "\n")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), "--inspector" in sys.argv[2:], "--elicit" in sys.argv[2:]))
