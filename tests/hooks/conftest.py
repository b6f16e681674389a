from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

import inspector_hooks

_counter = itertools.count()


@pytest.fixture
def hook_name() -> Iterator[str]:
    """A fresh hook name outside the catalogue; its subscribers are removed after the test."""
    name = f"test_hook_{next(_counter)}"
    yield name
    for fn in inspector_hooks.subscribers(name):
        inspector_hooks.unregister(name, fn)
