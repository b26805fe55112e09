"""Checks on where the stream stops and why: thresholds and resistance (core question 1)."""

from __future__ import annotations

from collections.abc import Iterator

from agent.checks.registry import Hit, register
from agent.checks.view import MapView
from schemas.elements import Resolution
from schemas.findings import CoreQuestion, Severity

Q1 = CoreQuestion.WHERE_IT_STOPS


@register("unexplained-threshold", Severity.WARNING, Q1,
          "threshold without a resistance: a bottleneck described, not explained")
def unexplained_threshold(view: MapView) -> Iterator[Hit]:
    for threshold in view.map.thresholds:
        if not view.resistances_at(threshold):
            yield Hit(
                [threshold.id],
                f"Threshold {threshold.name!r} says where the stream stops but not why: without the resistance "
                "behind it, it is a bottleneck described, not explained.",
                f"At {threshold.name!r}, what does the organisation lack that makes it need the customer to act?",
            )


@register("unresolved-resistance", Severity.ERROR, Q1,
          "resistance with no resolution and no exchange: the stream stops here")
def unresolved_resistance(view: MapView) -> Iterator[Hit]:
    for resistance in view.map.resistances:
        if resistance.resolution in (Resolution.CUSTOMER_EXCHANGE, Resolution.INTERNAL):
            continue
        thresholds = view.thresholds_by_vep.get(resistance.vep_id, [])
        if any(view.exchanges_at(t) for t in thresholds):
            continue
        state = "is unresolved" if resistance.resolution is Resolution.UNRESOLVED else "has no known resolution"
        yield Hit(
            [resistance.id, resistance.vep_id],
            f"Resistance {resistance.name!r} {state} and no give-get exchange meets it: nothing moves the "
            "stream past this point.",
            f"When {resistance.name!r} blocks a customer today, what happens to that customer next?",
        )


@register("unclassified-resistance", Severity.INFO, Q1,
          "resistance without the resource the organisation lacks (diagnostic step 2)")
def unclassified_resistance(view: MapView) -> Iterator[Hit]:
    for resistance in view.map.resistances:
        if not resistance.resources_lacking:
            yield Hit(
                [resistance.id],
                f"Resistance {resistance.name!r} is not classified by the resource that is lacking, so it is "
                "unclear what the customer's action compensates for.",
                f"Behind {resistance.name!r}, is it money, people or time, expertise, data, reach, trust or "
                "technology that you are short of?",
            )


@register("pull-unmeasured", Severity.INFO, Q1, "threshold with no crossing metric: no one knows if pull suffices")
def pull_unmeasured(view: MapView) -> Iterator[Hit]:
    for threshold in view.map.thresholds:
        if threshold.crossing_metric is None:
            yield Hit(
                [threshold.id],
                f"Nobody measures how many customers cross {threshold.name!r}, so nobody knows whether the pull "
                "there is enough.",
                f"Out of 100 customers who reach {threshold.name!r}, how many get past it?",
            )


@register("missing-final-threshold", Severity.ERROR, Q1, "no purchase threshold: the stream is never validated")
def missing_final_threshold(view: MapView) -> Iterator[Hit]:
    if (view.map.stages or view.map.thresholds) and not view.final_thresholds():
        yield Hit(
            [],
            "The map has no final threshold (the purchase), so nothing shows whether the value survives the "
            "journey: the stream is never validated.",
            "Where exactly in the stream does the customer decide to pay?",
        )
