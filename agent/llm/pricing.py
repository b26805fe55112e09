"""What a run would cost on OpenAI's hosted models: list prices per million tokens, for `--dry-run`.

Prices are USD per 1M tokens (input, output), standard tier, as published by OpenAI in 2025; cached
input is cheaper, so estimates lean high. Any other model or endpoint costs "unknown": a local
server is free and other providers' prices are not tracked here.
"""

from __future__ import annotations

import re

PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "o3": (2.00, 8.00),
    "o4-mini": (1.10, 4.40),
}
# A dated snapshot ("gpt-4o-mini-2024-07-18") costs what its family does.
_SNAPSHOT = re.compile(r"^(?P<family>.+?)-\d{4}-\d{2}-\d{2}$")


def price_per_million(provider: str, model: str | None, base_url: str | None = None) -> tuple[float, float] | None:
    """(input, output) USD per 1M tokens, or None when unknown."""
    if provider != "openai" or model is None or (base_url is not None and "api.openai.com" not in base_url):
        return None
    name = model.strip().lower()
    if name in PRICES_PER_MILLION:
        return PRICES_PER_MILLION[name]
    snapshot = _SNAPSHOT.match(name)
    return PRICES_PER_MILLION.get(snapshot["family"]) if snapshot else None


def estimated_cost(
    provider: str, model: str | None, base_url: str | None, input_tokens: int, output_tokens: int
) -> float | None:
    prices = price_per_million(provider, model, base_url)
    if prices is None:
        return None
    return (input_tokens * prices[0] + output_tokens * prices[1]) / 1_000_000
