"""Model-based tests: any sequence of register/unregister/emit behaves like a plain list of subscribers."""

from __future__ import annotations

import asyncio
import itertools

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import inspector_hooks
from inspector_hooks import _bus

_names = itertools.count()
SUBSCRIBER_IDS = st.integers(min_value=0, max_value=4)


class BusMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.name = f"machine_hook_{next(_names)}"
        self.hook = _bus._scratch_hook(self.name)  # a hook outside the catalogue, for the bus's mechanics
        self.model: list[int] = []  # subscriber ids in registration order
        self.calls: list[int] = []
        self.subs = {i: self._make(i) for i in range(5)}
        self.async_subs = {i: self._make_async(i) for i in range(5)}
        self.is_async: dict[int, bool] = {}

    def _make(self, index: int):
        def sub(**kwargs):
            self.calls.append(index)

        return sub

    def _make_async(self, index: int):
        async def sub(**kwargs):
            await asyncio.sleep(0)
            self.calls.append(index)

        return sub

    def _fn(self, index: int):
        return self.async_subs[index] if self.is_async.get(index) else self.subs[index]

    @rule(index=SUBSCRIBER_IDS, make_async=st.booleans())
    def register(self, index, make_async):
        if index not in self.model:
            self.is_async[index] = make_async
        inspector_hooks.register(self.name, self._fn(index))
        self.model.append(index)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def unregister_present(self, data):
        index = data.draw(st.sampled_from(self.model))
        inspector_hooks.unregister(self.name, self._fn(index))
        self.model.remove(index)

    @rule(index=SUBSCRIBER_IDS)
    def unregister_absent_is_noop(self, index):
        if index not in self.model:
            inspector_hooks.unregister(self.name, self.subs[index])

    @rule()
    def aemit(self):
        self.calls.clear()
        asyncio.run(self.hook.aemit(payload=1))
        assert self.calls == self.model

    @rule()
    def upstream_emit(self):
        self.calls.clear()
        asyncio.run(inspector_hooks._emit(self.name, payload=1))
        assert self.calls == self.model

    @precondition(lambda self: all(not self.is_async.get(i) for i in self.model))
    @rule()
    def sync_emit(self):
        self.calls.clear()
        self.hook.emit(payload=1)
        assert self.calls == self.model

    @precondition(lambda self: bool(self.model))
    @rule()
    def removal_during_emit_sees_the_snapshot(self):
        victim = self.model[-1]
        victim_fn = self._fn(victim)

        def remover(**kwargs):
            inspector_hooks.unregister(self.name, victim_fn)

        inspector_hooks.register(self.name, remover)
        inspector_hooks.unregister(self.name, remover)
        # Put the remover first by re-registering everything after it.
        for index in self.model:
            inspector_hooks.unregister(self.name, self._fn(index))
        inspector_hooks.register(self.name, remover)
        for index in self.model:
            inspector_hooks.register(self.name, self._fn(index))
        self.calls.clear()
        asyncio.run(self.hook.aemit())
        assert self.calls == self.model  # the emit ran over the subscribers it started with
        inspector_hooks.unregister(self.name, remover)
        self.model.remove(victim)

    @invariant()
    def truthiness_and_contents_match_the_model(self):
        assert bool(self.hook) == bool(self.model)
        assert list(self.hook) == [self._fn(i) for i in self.model]

    def teardown(self):
        for fn in inspector_hooks.subscribers(self.name):
            inspector_hooks.unregister(self.name, fn)
        _bus._forget(self.name)


TestBusMachine = BusMachine.TestCase
TestBusMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
