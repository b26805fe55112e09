"""The stream in reading order, and the short tags (S1, T2, L3) every report uses for its elements.

Every output of `vsm report` (diagram, Mermaid, HTML, Markdown) walks the stream the same way: stages by
their order, each followed by the thresholds at it, which the customer must cross to go on. Tags follow
that order, so "T2" in the picture is "T2" in the findings and the appendix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from schemas.elements import Element, Stage, Threshold
from schemas.value_map import ValueMap

# Tag prefix per collection; sources are not elements and get none.
TAG_PREFIX = {
    "stages": "S",
    "veps": "V",
    "resistances": "R",
    "thresholds": "T",
    "exchanges": "X",
    "propositions": "P",
    "duplications": "D",
    "losses": "L",
}


@dataclass(frozen=True)
class Slot:
    """One column of the stream: a stage, or a gate (threshold) right after the stage it stands at."""

    element: Stage | Threshold

    @property
    def is_gate(self) -> bool:
        return isinstance(self.element, Threshold)


@dataclass(frozen=True)
class Stream:
    """The map's stages and gates in reading order, with each element's tag."""

    slots: tuple[Slot, ...]
    tags: dict[str, str] = field(default_factory=dict)

    def tag(self, element_id: str) -> str:
        return self.tags.get(element_id, element_id)

    def label(self, element: Element) -> str:
        """`T2 Lawyer shortlist`: the tag and the name, as prose refers to an element."""
        return f"{self.tag(element.id)} {element.name}"


def stages_in_order(value_map: ValueMap) -> list[Stage]:
    # Python's sort is stable, so stages with the same order keep the map's order.
    return sorted(value_map.stages, key=lambda stage: stage.order)


def read_stream(value_map: ValueMap) -> Stream:
    """Stages by order, each followed by its thresholds (final ones last), and every element's tag."""
    stage_of_vep = {vep.id: vep.stage_id for vep in value_map.veps}
    thresholds_at: defaultdict[str, list[Threshold]] = defaultdict(list)
    for threshold in value_map.thresholds:
        thresholds_at[stage_of_vep[threshold.vep_id]].append(threshold)
    slots: list[Slot] = []
    for stage in stages_in_order(value_map):
        slots.append(Slot(stage))
        gates = sorted(thresholds_at[stage.id], key=lambda t: t.is_final)
        slots.extend(Slot(gate) for gate in gates)
    return Stream(slots=tuple(slots), tags=_tags(value_map, slots))


def _tags(value_map: ValueMap, slots: list[Slot]) -> dict[str, str]:
    stage_rank = {slot.element.id: i for i, slot in enumerate(slots) if not slot.is_gate}
    ordered: dict[str, list[str]] = {
        "stages": [s.element.id for s in slots if not s.is_gate],
        "thresholds": [s.element.id for s in slots if s.is_gate],
        # VEPs read in the order of the stage they stand at.
        "veps": [v.id for v in sorted(value_map.veps, key=lambda v: stage_rank.get(v.stage_id, 0))],
    }
    tags: dict[str, str] = {}
    for collection, prefix in TAG_PREFIX.items():
        ids = ordered.get(collection) or [e.id for e in getattr(value_map, collection)]
        for number, element_id in enumerate(ids, start=1):
            tags[element_id] = f"{prefix}{number}"
    return tags
