"""LLM hooks: ``generate``/``generate_str``/``generate_structured`` on every concrete ``AugmentedLLM`` subclass, model
selection, token usage, and the agent-call hooks.

Nesting: a call is "outer" when the same LLM instance is not already inside one of its generate methods in this
context (``generate_str`` of most providers calls ``self.generate``); only outer calls emit, so one user-visible
generation gives one before/after pair. Calls on *other* instances (an Orchestrator's workers, a router's classifier)
are outer for their own instance and emit. A workflow pattern's outer call is a ``workflow.run`` instead; inside it,
the pattern's own methods do not emit, but a provider's ``generate`` that the pattern calls on itself (a swarm is an
``OpenAIAugmentedLLM``: each of its turns is ``super().generate``) is a generation of its own, with its tokens.

Agent calls: mcp-agent 0.2.6 has no ``Agent.call()``. An agent is "called" when its LLM is asked to generate, so the
outer generate call of an LLM that has an ``agent`` also emits ``before/after/error_agent_call(agent=llm.agent)``
around the LLM hooks.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from inspector_hooks import hooks

from . import _patterns
from ._patcher import Patcher, safe
from ._replay import replaying
from ._requests import patch_requests

__all__ = ["GENERATE_METHODS", "patch_llms"]

logger = logging.getLogger(__name__)

GENERATE_METHODS = ("generate", "generate_str", "generate_structured")

_active: ContextVar[frozenset[tuple[int, str]]] = ContextVar("inspector_active_llms", default=frozenset())
"""(id of the instance, _LLM or _PATTERN) of each generate call going on in this context."""
_LLM = "llm"
_PATTERN = "pattern"
_usage: ContextVar[list[int] | None] = ContextVar("inspector_llm_usage", default=None)


def _any_subscriber() -> bool:
    return bool(
        hooks.before_llm_generate
        or hooks.after_llm_generate
        or hooks.error_llm_generate
        or hooks.before_agent_call
        or hooks.after_agent_call
        or hooks.error_agent_call
    )


def _prompt_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if "message" in kwargs:
        return kwargs["message"]
    return args[0] if args else None


def _wrap_generate(owner: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The wrapper of a generate method that ``owner`` defines."""

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        if getattr(original, "__inspector_wrapped__", False):
            return original

        @functools.wraps(original)
        async def generate(self: Any, *args: Any, **kwargs: Any) -> Any:
            if not _any_subscriber() or replaying():
                return await original(self, *args, **kwargs)
            active = _active.get()
            key = id(self)
            if (key, _LLM) in active:
                return await original(self, *args, **kwargs)
            kind = _patterns.pattern_type(self)
            if kind is not None and (key, _PATTERN) not in active:  # a workflow pattern: a workflow.run of its own
                token = _active.set(active | {(key, _PATTERN)})
                try:
                    return await _patterns.run_pattern(
                        self, kind, _prompt_of(args, kwargs), lambda: original(self, *args, **kwargs)
                    )
                finally:
                    _active.reset(token)
            if kind is not None and _patterns.class_pattern_type(owner) is not None:
                return await original(self, *args, **kwargs)  # the pattern's own method, inside its run
            return await _generation(self, original, args, kwargs)

        generate.__inspector_wrapped__ = True  # type: ignore[attr-defined]
        return generate

    return wrap


async def _generation(self: Any, original: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """One outer generation of ``self``: the agent-call and LLM hooks around ``original``, with its token usage."""
    token = _active.set(_active.get() | {(id(self), _LLM)})
    usage: list[int] = [0, 0, 0]  # input, output, records
    usage_token = _usage.set(usage)
    prompt = _prompt_of(args, kwargs)
    agent = getattr(self, "agent", None)
    try:
        if agent is not None and hooks.before_agent_call:
            await hooks.before_agent_call.aemit(agent=agent)
        if hooks.before_llm_generate:
            await hooks.before_llm_generate.aemit(llm=self, prompt=prompt)
        try:
            result = await original(self, *args, **kwargs)
        except BaseException as exc:
            if hooks.error_llm_generate:
                await hooks.error_llm_generate.aemit(llm=self, prompt=prompt, exc=exc)
            if agent is not None and hooks.error_agent_call:
                await hooks.error_agent_call.aemit(agent=agent, exc=exc)
            raise
        if hooks.after_llm_generate:
            known = {"input_tokens": usage[0], "output_tokens": usage[1]} if usage[2] else None
            await hooks.after_llm_generate.aemit(llm=self, prompt=prompt, response=result, usage=known)
        await _patterns.observe_generation(self, result)
        if agent is not None and hooks.after_agent_call:
            await hooks.after_agent_call.aemit(agent=agent, result=result)
        return result
    finally:
        _usage.reset(usage_token)
        _active.reset(token)


def _wrap_record_usage(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def record_usage(self: Any, input_tokens: int, output_tokens: int, *args: Any, **kwargs: Any) -> Any:
        acc = _usage.get()
        if acc is not None:
            try:
                acc[0] += int(input_tokens or 0)
                acc[1] += int(output_tokens or 0)
                acc[2] += 1
            except Exception:
                logger.debug("unusable token counts %r/%r", input_tokens, output_tokens)
        return await original(self, input_tokens, output_tokens, *args, **kwargs)

    return record_usage


def _wrap_select_model(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def select_model(self: Any, request_params: Any = None) -> Any:
        if not (hooks.before_model_select or hooks.after_model_select):
            return await original(self, request_params)
        ctx = getattr(self, "context", None)
        if hooks.before_model_select:
            preferences = getattr(request_params, "modelPreferences", None) or getattr(self, "model_preferences", None)
            await hooks.before_model_select.aemit(
                preferences=preferences,
                available_models=safe("available models", _available_models, self),
                context=ctx,
            )
        selected = await original(self, request_params)
        if hooks.after_model_select:
            await hooks.after_model_select.aemit(selected_model=selected, scores=None, context=ctx)
        return selected

    return select_model


def _available_models(llm: Any) -> list[str] | None:
    selector = getattr(llm, "model_selector", None)
    models = getattr(selector, "models", None)
    if not models:
        return None
    return [str(getattr(m, "name", m)) for m in models]


def patch_class(patcher: Patcher, cls: type) -> None:
    """Wrap the concrete generate methods that ``cls`` itself defines."""
    for name in GENERATE_METHODS:
        fn = cls.__dict__.get(name)
        if fn is None or not inspect.iscoroutinefunction(fn) or getattr(fn, "__isabstractmethod__", False):
            continue
        patcher.patch(cls, name, _wrap_generate(cls))
    patch_requests(patcher, cls)


def _all_subclasses(cls: type) -> list[type]:
    seen: list[type] = []
    stack: list[type] = list(cls.__subclasses__())
    while stack:
        sub = stack.pop()
        if sub not in seen:
            seen.append(sub)
            stack.extend(sub.__subclasses__())
    return seen


def patch_llms(patcher: Patcher) -> None:
    from mcp_agent.tracing.token_counter import TokenCounter
    from mcp_agent.workflows.llm.augmented_llm import AugmentedLLM

    # Import the bundled workflow patterns so that their classes exist and are patched now, not only when imported.
    for module in (
        "mcp_agent.workflows.orchestrator.orchestrator",
        "mcp_agent.workflows.router.router_llm",
        "mcp_agent.workflows.parallel.parallel_llm",
        "mcp_agent.workflows.evaluator_optimizer.evaluator_optimizer",
    ):
        safe(f"import {module}", __import__, module)

    for sub in _all_subclasses(AugmentedLLM):
        patch_class(patcher, sub)

    def make_init_subclass(original: Any) -> Any:
        def __init_subclass__(cls: Any, /, **kw: Any) -> None:
            if original is not None:
                original.__get__(None, cls)(**kw)
            else:
                super(AugmentedLLM, cls).__init_subclass__(**kw)
            safe("patch new AugmentedLLM subclass", patch_class, patcher, cls)

        return classmethod(__init_subclass__)

    patcher.patch(AugmentedLLM, "__init_subclass__", make_init_subclass)
    patcher.patch(AugmentedLLM, "select_model", _wrap_select_model)
    patcher.patch(TokenCounter, "record_usage", _wrap_record_usage)
