"""Token prices of well-known models, the one table the gateway, the UI (``GET /prices``) and the CLI use.

USD per million tokens, ``(input, output)``, from the providers' public price pages (list prices, standard tier,
no batch or cache discounts) as of ``AS_OF``. A model name matches its entry exactly or by the longest entry that
prefixes it (``gpt-4o-mini-2024-07-18`` -> ``gpt-4o-mini``); a ``provider/`` prefix is ignored. A model without an
entry has no price: its cost is unknown, never guessed.

Users override or extend the table with ``INSPECTOR_PRICES``: the path of a JSON object
``{"model": {"input": <USD per 1M>, "output": <USD per 1M>}, ...}``; its entries win.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["AS_OF", "DEFAULT_PRICES", "PRICES_ENV", "PriceTable", "load_prices"]

logger = logging.getLogger(__name__)

AS_OF = "2025-09-01"
PRICES_ENV = "INSPECTOR_PRICES"

#: model -> (USD per 1M input tokens, USD per 1M output tokens)
DEFAULT_PRICES: Mapping[str, tuple[float, float]] = {
    # OpenAI
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4-turbo": (10.00, 30.00),
    "gpt-3.5-turbo": (0.50, 1.50),
    "o1": (15.00, 60.00),
    "o1-mini": (1.10, 4.40),
    "o3": (2.00, 8.00),
    "o3-mini": (1.10, 4.40),
    "o4-mini": (1.10, 4.40),
    # Anthropic
    "claude-opus-4-1": (15.00, 75.00),
    "claude-opus-4": (15.00, 75.00),
    "claude-sonnet-4-5": (3.00, 15.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-3-7-sonnet": (3.00, 15.00),
    "claude-3-5-sonnet": (3.00, 15.00),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-3-opus": (15.00, 75.00),
    "claude-3-haiku": (0.25, 1.25),
    # Google
    "gemini-2.5-pro": (1.25, 10.00),
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini-2.0-flash": (0.10, 0.40),
    "gemini-1.5-pro": (1.25, 5.00),
    "gemini-1.5-flash": (0.075, 0.30),
}


def _bare(model: str) -> str:
    return model.strip().lower().rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PriceTable:
    """Prices by model, with where the user's overrides came from (``None``: the defaults only)."""

    prices: Mapping[str, tuple[float, float]]
    overrides: str | None = None
    error: str | None = None

    def price(self, model: str | None) -> tuple[float, float] | None:
        """``(input, output)`` USD per 1M tokens for ``model``, or None when no entry matches."""
        if not model:
            return None
        name = _bare(model)
        found = self.prices.get(name)
        if found is not None:
            return found
        best = max((k for k in self.prices if name.startswith(k)), key=len, default=None)
        return self.prices[best] if best is not None else None

    def cost(self, model: str | None, input_tokens: int, output_tokens: int) -> float | None:
        """USD for the tokens, or None when the model has no price."""
        found = self.price(model)
        if found is None:
            return None
        return (input_tokens * found[0] + output_tokens * found[1]) / 1_000_000

    def as_json(self) -> dict[str, Any]:
        """The ``GET /prices`` body."""
        body: dict[str, Any] = {
            "currency": "USD",
            "unit": "per 1M tokens",
            "as_of": AS_OF,
            "overrides": self.overrides,
            "models": {k: {"input": v[0], "output": v[1]} for k, v in sorted(self.prices.items())},
        }
        if self.error:
            body["error"] = self.error
        return body


def _parse(raw: Any) -> dict[str, tuple[float, float]]:
    if not isinstance(raw, dict):
        raise ValueError("the file must hold a JSON object of model -> {input, output}")
    out: dict[str, tuple[float, float]] = {}
    for model, entry in raw.items():
        if not isinstance(entry, dict):
            raise ValueError(f"{model!r}: expected {{'input': USD per 1M, 'output': USD per 1M}}")
        values = entry.get("input"), entry.get("output")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in values):
            raise ValueError(f"{model!r}: input and output must be non-negative numbers")
        out[_bare(str(model))] = (float(values[0]), float(values[1]))  # type: ignore[arg-type]
    return out


def load_prices(path: str | os.PathLike[str] | None = None) -> PriceTable:
    """The default table with the user's file (``path``, else ``INSPECTOR_PRICES``) over it; a bad file is
    reported in ``error`` and ignored (the defaults still apply)."""
    chosen = path if path is not None else os.environ.get(PRICES_ENV, "").strip() or None
    prices = dict(DEFAULT_PRICES)
    if chosen is None:
        return PriceTable(prices)
    try:
        prices.update(_parse(json.loads(Path(chosen).read_text(encoding="utf-8"))))
    except (OSError, ValueError) as exc:
        logger.warning("%s=%s is ignored: %s", PRICES_ENV, chosen, exc)
        return PriceTable(prices, str(chosen), f"{type(exc).__name__}: {exc}")
    return PriceTable(prices, str(chosen))
