from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

import inspector_hooks
from inspector_hooks import _bus

_counter = itertools.count()


@pytest.fixture
def hook_name() -> Iterator[str]:
    """A fresh scratch hook outside the catalogue (the bus refuses such names elsewhere); removed after the test."""
    name = f"test_hook_{next(_counter)}"
    _bus._scratch_hook(name)
    yield name
    for fn in inspector_hooks.subscribers(name):
        inspector_hooks.unregister(name, fn)
    _bus._forget(name)
