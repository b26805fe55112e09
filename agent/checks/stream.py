"""Checks on the stages: is this a map of activity or of value? (core question 1)"""

from __future__ import annotations

from collections.abc import Iterator

from agent.checks.registry import Hit, register
from agent.checks.view import MapView
from schemas.elements import ValueLink
from schemas.findings import CoreQuestion, Severity

# "Many stages, most not anchored": a map this long that is mostly unanchored is detail, not insight.
MANY_STAGES = 8
ANCHORED_SHARE_FLOOR = 0.5

Q1 = CoreQuestion.WHERE_IT_STOPS


@register("activity-map", Severity.ERROR, Q1, "stages but no VEP and no threshold: a map of activity, not value")
def activity_map(view: MapView) -> Iterator[Hit]:
    if view.map.stages and not view.map.veps and not view.map.thresholds:
        yield Hit(
            [s.id for s in view.map.stages],
            f"The map has {len(view.map.stages)} stage(s) but no point where the customer must act and no "
            "threshold: it draws the organisation's activity, not the conditions under which value is pulled.",
            "Where does the process need the customer to do something before it can go on?",
        )


@register("suspect-stage", Severity.WARNING, Q1,
          "stage with no (or unknown) link to value consumption and no VEP: maybe necessary, not value")
def suspect_stage(view: MapView) -> Iterator[Hit]:
    for stage in view.map.stages:
        if view.is_anchored(stage) or stage.id in view.veps_by_stage:
            continue
        link = "no link" if stage.value_link is ValueLink.NONE else "no known link"
        yield Hit(
            [stage.id],
            f"Stage {stage.name!r} has {link} to the customer consuming value and asks nothing of the customer: "
            "it may be necessary, but it is not value.",
            f"If {stage.name!r} disappeared tomorrow, what would the customer notice?",
        )


@register("efficiency-trap", Severity.WARNING, Q1,
          "an improvement recorded on a stage that the customer does not perceive as value")
def efficiency_trap(view: MapView) -> Iterator[Hit]:
    for stage in view.map.stages:
        if not stage.improvements:
            continue
        if stage.customer_visible and view.is_anchored(stage):
            continue
        done = "; ".join(i.description for i in stage.improvements)
        yield Hit(
            [stage.id],
            f"{stage.name!r} was improved ({done}), but the customer does not see it as value: a faster "
            "process that converts no better is the efficiency trap.",
            f"After {done!r}, what changed in how many customers cross the next threshold?",
        )


@register("completeness-illusion", Severity.WARNING, Q1,
          f"{MANY_STAGES} or more stages, most not anchored in consumption")
def completeness_illusion(view: MapView) -> Iterator[Hit]:
    stages = view.map.stages
    if len(stages) < MANY_STAGES:
        return
    unanchored = [s for s in stages if not view.is_anchored(s)]
    if len(unanchored) / len(stages) <= 1 - ANCHORED_SHARE_FLOOR:
        return
    yield Hit(
        [s.id for s in unanchored],
        f"{len(unanchored)} of {len(stages)} stages are not anchored in value consumption: the map feels "
        "complete, but completeness here is an internal artifact, not a market reality.",
        "Which of these stages would a customer describe if asked how they got value from you?",
    )
