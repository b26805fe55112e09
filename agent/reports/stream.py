"""The stream in reading order, and the short tags (S1, T2, L3) every report uses for its elements.

Every output of `vsm report` (diagram, Mermaid, HTML, Markdown) walks the stream the same way: stages by
their order, each followed by the thresholds at it, which the customer must cross to go on. Tags follow
that order, so "T2" in the picture is "T2" in the findings and the appendix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from schemas.elements import Element, Stage, Threshold
from schemas.value_map import ValueMap

# Stages, VEPs or gates two sources must both tell to be one business when nothing else links them.
SHARED_TO_JOIN = 2

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


@dataclass(frozen=True)
class ValueStream:
    """One business's stream in a map: its stages and gates in reading order, and what to call it."""

    name: str
    slots: tuple[Slot, ...]


def value_streams(value_map: ValueMap, stream: Stream | None = None) -> list[ValueStream]:
    """The map's slots split into its value streams, each kept whole and in its own order.

    An engagement map can join the maps of several businesses. Nothing in a map names the business, so
    the streams are told apart by evidence. Two sources are one business when the map's own structure
    links them (a VEP told by one stands at a stage told by the other, or a gate at a VEP) or when at
    least two stages, VEPs or gates are told by both. One shared element is not enough: synthesis merges
    same-named elements, and two businesses both have a "Create an account" stage, while interviews of
    one business share its journey, stage, moment and gate. Duplications and losses do not join
    (synthesis records contradictions across sources as duplications). A stage with no evidence stays
    with its neighbours in the map, and so does a stage told in two streams (it is drawn once). One map of
    one business is one stream.
    """
    stream = stream or read_stream(value_map)
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def join(keys: set[str]) -> None:
        first, *rest = sorted(keys)
        for key in rest:
            parent[find(key)] = find(first)

    told: dict[str, set[str]] = {}
    backbone: list[Element] = [*value_map.stages, *value_map.veps, *value_map.thresholds]
    for element in backbone:
        told[element.id] = {q.source_id for q in element.evidence if q.source_id}
    for sources in _linked_sources(value_map, told):
        join(sources)
    for element in backbone:
        for source in told[element.id]:
            find(source)
    # Where a stage's own evidence is silent, its VEPs and gates say whose stage it is.
    stage_of_vep = {vep.id: vep.stage_id for vep in value_map.veps}
    for vep in value_map.veps:
        told[vep.stage_id] = told[vep.stage_id] or told[vep.id]
    for threshold in value_map.thresholds:
        at = stage_of_vep[threshold.vep_id]
        told[at] = told[at] or told[threshold.id]
    # An unsourced stage joins the nearest sourced stage before it in the map's own list (synthesis keeps
    # each source map's stages together there, a merged stage among its first teller's), else the nearest
    # after it. So does a stage told in two streams, if that neighbour's stream is one of them.
    key_of: dict[str, str] = {}
    roots_of = [{find(source) for source in told[stage.id]} for stage in value_map.stages]
    known = [next(iter(roots)) for roots in roots_of if len(roots) == 1]
    last = known[0] if known else ""
    for stage, roots in zip(value_map.stages, roots_of, strict=True):
        if len(roots) == 1 or (roots and last not in roots):
            last = min(roots)
        key_of[stage.id] = last
    streams: dict[str, list[Slot]] = {}
    stage_id = ""
    for slot in stream.slots:
        if not slot.is_gate:
            stage_id = slot.element.id
        streams.setdefault(key_of.get(stage_id, ""), []).append(slot)
    if len(streams) <= 1:
        return [ValueStream(value_map.title, stream.slots)]
    titles = {source.id: source.title for source in value_map.sources}
    named = []
    for number, (root, slots) in enumerate(streams.items(), start=1):
        members = sorted(key for key in parent if find(key) == root)
        name = _common_name([titles.get(m) or "" for m in members])
        named.append(ValueStream(name or f"Value stream {number}", tuple(slots)))
    return named


def _linked_sources(value_map: ValueMap, told: dict[str, set[str]]) -> list[set[str]]:
    """Pairs of sources that are one business: linked by the map's structure, or sharing two elements."""
    shared: defaultdict[tuple[str, str], int] = defaultdict(int)
    for sources in told.values():
        for pair in combinations(sorted(sources), 2):
            shared[pair] += 1
    linked = [set(pair) for pair, count in shared.items() if count >= SHARED_TO_JOIN]
    stage_of_vep = {vep.id: vep.stage_id for vep in value_map.veps}
    references = [(vep.id, vep.stage_id) for vep in value_map.veps]
    for threshold in value_map.thresholds:
        references += [(threshold.id, threshold.vep_id), (threshold.id, stage_of_vep[threshold.vep_id])]
    for referrer, referent in references:
        # A reference into an element the referrer's source also tells is that element's own story
        # (a merged stage's VEPs), not a link the map drew between two sources.
        for first in told[referrer] - told[referent]:
            for second in told[referent] - told[referrer]:
                linked.append({first, second})
    return linked


def _common_name(titles: list[str]) -> str:
    """What the stream's sources' titles share: 'Juriva' from 'Juriva customer call: ...' and
    'Juriva discovery interview: ...'; a single source's title up to its colon."""
    heads = [title.split(":")[0].split() for title in titles if title.strip()]
    if not heads:
        return ""
    shared: list[str] = []
    for words in zip(*heads, strict=False):
        if len(set(words)) > 1:
            break
        shared.append(words[0])
    return " ".join(shared) or " ".join(heads[0])
