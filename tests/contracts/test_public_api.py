"""Each package's public names are its __all__; this pins them so a change to the API is a visible decision."""

from __future__ import annotations

import importlib

import pytest

PUBLIC_API = {
    "inspector_hooks": [
        "Hook",
        "Subscriber",
        "_emit",
        "_hooks",
        "catalogue",
        "context",
        "hook",
        "hooks",
        "register",
        "registry",
        "subscribers",
        "unregister",
    ],
    "inspector_hooks.context": ["bind", "get", "reset", "set"],
    "inspector_hooks.testing": ["HookCall", "capture_hook"],
    "inspector_hooks.catalogue": ["CATALOGUE", "CATALOGUE_VERSION", "HOOKS", "HookSpec"],
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC_API))
def test_public_api_is_pinned(module_name):
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PUBLIC_API[module_name])
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name}"


def test_version_is_lazy_and_lockstep():
    import inspector_hooks

    assert inspector_hooks.__version__ == "0.1.0"
