"""mcp-agent 0.2.6's workflow patterns: one ``workflow.run`` per pattern run, and each pattern's own structure.

A pattern run emits ``before_workflow_run``/``after_workflow_run``/``error_workflow_run`` with the extra kwargs
``workflow_type`` (the pattern's name in ``PATTERNS``) and ``input``, in the task that runs it (so the spans below
are its children). While it runs, ``workflow_state(workflow, name, state)`` reports its structure each time it
changes, as a JSON-able dict (``STATE_NAMES`` says which name each pattern uses):

* ``orchestrator``/``deep_orchestrator`` → ``plan``: objective, steps with their tasks (agent, status, result);
* ``router`` → ``router_decision``: every candidate route with its score (embedding) or confidence and reasoning
  (LLM), and which were selected;
* ``evaluator_optimizer`` → ``evaluation``: each iteration's response, rating and feedback;
* ``parallel`` → ``parallel``: the fan-out members with their responses, and the fan-in;
* ``swarm`` → ``handoffs``: the agents in the order they took over, and each hand-off;
* ``intent_classifier`` → ``intent_classification``: every intent with its score/confidence, and the selected ones.

The generate methods of the ``AugmentedLLM`` patterns are wrapped by ``_llm`` (which calls ``run_pattern`` for them
instead of emitting LLM hooks); the routers' and classifiers' entry points and the patterns' inner steps are wrapped
here. ``observe_generation`` is called by ``_llm`` after every outer generation, so a pattern sees what its member
LLMs (evaluator, classifier) answered.
"""

from __future__ import annotations

from ._patcher import Patcher, safe
from ._pattern_lifecycle import observe_generation, run_pattern
from ._pattern_run import PATTERNS, STATE_NAMES, _by_type, _classes, class_pattern_type, pattern_type
from ._pattern_wraps import (
    _wrap_classify,
    _wrap_compute_embedding,
    _wrap_execute_step,
    _wrap_fan_in,
    _wrap_fan_out,
    _wrap_plan,
    _wrap_route,
    _wrap_set_agent,
)

__all__ = [
    "PATTERNS",
    "STATE_NAMES",
    "class_pattern_type",
    "observe_generation",
    "patch_patterns",
    "pattern_type",
    "run_pattern",
]


def patch_patterns(patcher: Patcher) -> None:
    import importlib

    for (module_name, class_name), kind in PATTERNS.items():
        module = safe(f"import {module_name}", importlib.import_module, module_name)
        cls = getattr(module, class_name, None) if module is not None else None
        if isinstance(cls, type):
            _classes[cls] = kind
    _by_type.clear()

    from mcp_agent.workflows.orchestrator.orchestrator import Orchestrator
    from mcp_agent.workflows.parallel.fan_in import FanIn
    from mcp_agent.workflows.parallel.fan_out import FanOut
    from mcp_agent.workflows.router.router_embedding import EmbeddingRouter
    from mcp_agent.workflows.router.router_llm import LLMRouter
    from mcp_agent.workflows.swarm.swarm import Swarm

    patcher.patch(Orchestrator, "_get_full_plan", _wrap_plan)
    patcher.patch(Orchestrator, "_get_next_step", _wrap_plan)
    patcher.patch(Orchestrator, "_execute_step", _wrap_execute_step)
    patcher.patch(LLMRouter, "_route_with_llm", _wrap_route)
    patcher.patch(EmbeddingRouter, "_route_with_embedding", _wrap_route)
    patcher.patch(EmbeddingRouter, "_compute_embedding", _wrap_compute_embedding)
    for method in ("generate", "generate_str", "generate_structured"):
        patcher.patch(FanOut, method, _wrap_fan_out)
        patcher.patch(FanIn, method, _wrap_fan_in)
    patcher.patch(Swarm, "set_agent", _wrap_set_agent)
    for module_name, class_name in (
        ("mcp_agent.workflows.intent_classifier.intent_classifier_llm", "LLMIntentClassifier"),
        ("mcp_agent.workflows.intent_classifier.intent_classifier_embedding", "EmbeddingIntentClassifier"),
    ):
        module = safe(f"import {module_name}", importlib.import_module, module_name)
        cls = getattr(module, class_name, None) if module is not None else None
        if isinstance(cls, type):
            patcher.patch(cls, "classify", _wrap_classify)
    deep = safe(
        "import deep orchestrator", importlib.import_module, "mcp_agent.workflows.deep_orchestrator.orchestrator"
    )
    deep_cls = getattr(deep, "DeepOrchestrator", None) if deep is not None else None
    if isinstance(deep_cls, type):
        patcher.patch(deep_cls, "_create_full_plan", _wrap_plan)
