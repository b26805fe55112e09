"""The coverage board: how far a map already answers each diagnostic step and each core question.

The planner reads it to skip what the map already says and to find the elements still to ask about.
Pure: a map in, a board out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from schemas.elements import Activation, Element, Threshold, ValueEvocationPoint
from schemas.findings import CoreQuestion
from schemas.interview import CoreCoverage, CoverageBoard, DiagnosticStep, SlotCoverage, StepCoverage
from schemas.value_map import ValueMap

MIN_VEPS = 2  # one point where the customer acts is a funnel step; two start to make a stream
MIN_CONTEXTS = 2  # propositions can only be compared across two thresholds or audiences
CORE_COVERED_AT = 0.5  # a core question is answered when each of its steps is at least half full

E = TypeVar("E", bound=Element)

CORE_STEPS: dict[CoreQuestion, list[DiagnosticStep]] = {
    CoreQuestion.WHERE_IT_STOPS: [DiagnosticStep.VEPS, DiagnosticStep.RESISTANCE, DiagnosticStep.THRESHOLDS],
    CoreQuestion.VALUE_USED: [DiagnosticStep.VALUE_EVOKED, DiagnosticStep.EXCHANGES],
    CoreQuestion.VALUE_BREAKS: [DiagnosticStep.DUPLICATION, DiagnosticStep.LOSS],
}


def coverage_of(value_map: ValueMap) -> CoverageBoard:
    """For each diagnostic step, the slots it needs and how full they are; and which core questions are answered."""
    steps = [
        _step(DiagnosticStep.VEPS, _veps(value_map)),
        _step(DiagnosticStep.RESISTANCE, _resistance(value_map)),
        _step(DiagnosticStep.VALUE_EVOKED, _value_evoked(value_map)),
        _step(DiagnosticStep.THRESHOLDS, _thresholds(value_map)),
        _step(DiagnosticStep.EXCHANGES, _exchanges(value_map)),
        _step(DiagnosticStep.DUPLICATION, _duplication(value_map)),
        _step(DiagnosticStep.LOSS, _loss(value_map)),
        _step(DiagnosticStep.FINAL_THRESHOLD, _final_threshold(value_map)),
    ]
    fill = {s.step: s.filled for s in steps}
    core = [
        CoreCoverage(question=q, steps=q_steps, covered=all(fill[s] >= CORE_COVERED_AT for s in q_steps))
        for q, q_steps in CORE_STEPS.items()
    ]
    return CoverageBoard(steps=steps, core=core)


def _step(step: DiagnosticStep, slots: list[SlotCoverage]) -> StepCoverage:
    return StepCoverage(step=step, slots=slots, filled=sum(s.filled for s in slots) / len(slots))


def _share(slot: str, needs: str, items: Sequence[E], has: Callable[[E], bool]) -> SlotCoverage:
    """The share of `items` that have what the slot needs; nothing to measure is an empty slot."""
    missing = [item.id for item in items if not has(item)]
    filled = (len(items) - len(missing)) / len(items) if items else 0.0
    return SlotCoverage(slot=slot, needs=needs, filled=filled, missing_ids=missing)


def _veps(value_map: ValueMap) -> list[SlotCoverage]:
    acting = sum(1 for vep in value_map.veps if vep.customer_action.strip())
    return [SlotCoverage(slot="veps_with_action", needs=f"at least {MIN_VEPS} points where the customer must act",
                         filled=min(1.0, acting / MIN_VEPS))]


def _resistance(value_map: ValueMap) -> list[SlotCoverage]:
    classified = {r.vep_id for r in value_map.resistances if r.resources_lacking}
    return [_share("resistance_classified", "each VEP's resistance, with the resource the organisation lacks",
                   value_map.veps, lambda v: v.id in classified)]


def _value_evoked(value_map: ValueMap) -> list[SlotCoverage]:
    def known(vep: ValueEvocationPoint) -> bool:
        return bool(vep.proposition_ids) and vep.activation is not Activation.UNKNOWN

    return [_share("value_and_activation", "each VEP's value proposition, and whether it activates or only resonates",
                   value_map.veps, known)]


def _thresholds(value_map: ValueMap) -> list[SlotCoverage]:
    return [_share("thresholds_with_condition", "at least one threshold, each with the condition to cross it",
                   value_map.thresholds, lambda t: bool(t.condition.strip()))]


def _exchanges(value_map: ValueMap) -> list[SlotCoverage]:
    two_sided = {e.threshold_id for e in value_map.exchanges if e.customer_gives and e.organisation_gives}
    return [_share("exchange_two_sided", "each threshold's give-get exchange, with what each side gives",
                   value_map.thresholds, lambda t: t.id in two_sided)]


def _duplication(value_map: ValueMap) -> list[SlotCoverage]:
    if value_map.duplications:
        filled = 1.0
    else:
        reached = {t.id for t in value_map.thresholds if _propositions_at(value_map, t)}
        audiences = {p.audience.casefold() for p in value_map.propositions if p.audience}
        filled = min(1.0, max(len(reached), len(audiences)) / MIN_CONTEXTS)
    return [SlotCoverage(slot="propositions_compared",
                         needs=f"value propositions compared across {MIN_CONTEXTS} or more thresholds or audiences",
                         filled=filled)]


def _loss(value_map: ValueMap) -> list[SlotCoverage]:
    return [_share("losses_traced", "losses, each traced to a duplication or a threshold",
                   value_map.losses, lambda loss: bool(loss.duplication_ids or loss.threshold_ids))]


def _final_threshold(value_map: ValueMap) -> list[SlotCoverage]:
    finals = [t for t in value_map.thresholds if t.purchase is not None]
    return [
        SlotCoverage(slot="purchase_threshold", needs="a final threshold: the purchase",
                     filled=1.0 if finals else 0.0),
        _share("price", "the price at the final threshold",
               finals, lambda t: t.purchase is not None and t.purchase.price is not None),
        _share("perceived_value", "the value the customer perceives at the final threshold",
               finals, lambda t: t.purchase is not None and t.purchase.perceived_value is not None),
    ]


def _propositions_at(value_map: ValueMap, threshold: Threshold) -> set[str]:
    """The propositions called upon at a threshold: named there, at its VEP, or by its VEP."""
    found = {p.id for p in value_map.propositions if {threshold.id, threshold.vep_id} & set(p.used_at_ids)}
    for vep in value_map.veps:
        if vep.id == threshold.vep_id:
            found.update(vep.proposition_ids)
    return found

