"""Checks at the final threshold, the purchase: does value survive the journey? (core question 3)"""

from __future__ import annotations

from collections.abc import Iterator

from agent.checks.registry import Hit, register
from agent.checks.view import MapView
from schemas.findings import CoreQuestion, Severity

Q3 = CoreQuestion.VALUE_BREAKS


@register("subsidized-growth", Severity.WARNING, Q3, "compensation (discounts, incentives) at the final threshold")
def subsidized_growth(view: MapView) -> Iterator[Hit]:
    for threshold in view.final_thresholds():
        assert threshold.purchase is not None
        if threshold.purchase.compensation:
            used = "; ".join(f"{c.kind.value}: {c.detail}" if c.detail else c.kind.value
                             for c in threshold.purchase.compensation)
            yield Hit(
                [threshold.id],
                f"Conversion at {threshold.name!r} is bought with compensation ({used}): growth sustained not "
                "by value but by compensation for its absence.",
                "What happens to conversion in a month without the discount?",
            )


@register("value-not-surviving", Severity.ERROR, Q3, "Surviving Value <= 0 at the final threshold")
def value_not_surviving(view: MapView) -> Iterator[Hit]:
    for threshold in view.final_thresholds():
        assert threshold.purchase is not None
        surviving = threshold.purchase.surviving_value
        if surviving is not None and surviving <= 0:
            purchase = threshold.purchase
            yield Hit(
                [threshold.id],
                f"At {threshold.name!r}, Surviving Value = {purchase.perceived_value:g} - "
                f"{purchase.accumulated_loss:g} = {surviving:g}: the losses accumulated upstream consume the "
                "perceived value. This is not a pricing problem; it is a value survival problem.",
                "Which promise made earlier in the stream costs the most at the moment of payment?",
            )


@register("value-unreckoned", Severity.INFO, Q3,
          "final threshold without perceived value or accumulated loss: Surviving Value cannot be reckoned")
def value_unreckoned(view: MapView) -> Iterator[Hit]:
    for threshold in view.final_thresholds():
        assert threshold.purchase is not None
        if threshold.purchase.surviving_value is None:
            yield Hit(
                [threshold.id],
                f"{threshold.name!r} is the purchase, but perceived value or accumulated loss is unknown, so "
                "nobody can say whether value survives the journey.",
                "When a customer pays, what do they believe they get for the price?",
            )
