"""The map: every element of one value stream, with its references checked.

A `ValueMap` is the one document that flows between extraction, checks, reports and the interview.
It validates referential integrity on construction, so a dangling id is an error that names the
element and field, never a KeyError three rooms later.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.elements import (
    Duplication,
    Element,
    GiveGetExchange,
    Loss,
    Resistance,
    Source,
    Stage,
    Threshold,
    ValueEvocationPoint,
    ValueProposition,
)
from schemas.evidence import Quote

SCHEMA_VERSION: Literal[1] = 1

# The collections of a map, in the order a value stream is read.
COLLECTIONS: dict[str, type[Element] | type[Source]] = {
    "sources": Source,
    "stages": Stage,
    "veps": ValueEvocationPoint,
    "resistances": Resistance,
    "thresholds": Threshold,
    "exchanges": GiveGetExchange,
    "propositions": ValueProposition,
    "duplications": Duplication,
    "losses": Loss,
}


# The collections that hold elements (everything but sources), in reading order.
ELEMENT_COLLECTIONS: tuple[str, ...] = tuple(name for name in COLLECTIONS if name != "sources")

# The fields by which one element names another: a single id, or a list of ids.
REFERENCE_FIELDS: tuple[str, ...] = ("stage_id", "vep_id", "threshold_id")
REFERENCE_LIST_FIELDS: tuple[str, ...] = ("proposition_ids", "used_at_ids", "threshold_ids", "duplication_ids")
# The one reference each of these kinds cannot exist without: (field, the collection it names). A list field
# (a duplication's propositions) holds while any of its elements is left.
REQUIRED_REFERENCE: dict[str, tuple[str, str]] = {
    "veps": ("stage_id", "stages"), "resistances": ("vep_id", "veps"), "thresholds": ("vep_id", "veps"),
    "exchanges": ("threshold_id", "thresholds"), "duplications": ("proposition_ids", "propositions"),
}


class ValueMap(BaseModel):
    """A Wasteless Growth value stream map."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = SCHEMA_VERSION
    title: str = ""
    description: str = ""
    sources: list[Source] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    veps: list[ValueEvocationPoint] = Field(default_factory=list)
    resistances: list[Resistance] = Field(default_factory=list)
    thresholds: list[Threshold] = Field(default_factory=list)
    exchanges: list[GiveGetExchange] = Field(default_factory=list)
    propositions: list[ValueProposition] = Field(default_factory=list)
    duplications: list[Duplication] = Field(default_factory=list)
    losses: list[Loss] = Field(default_factory=list)

    def elements(self) -> Iterator[Element]:
        """Every element (not sources), in the map's reading order."""
        yield from self.stages
        yield from self.veps
        yield from self.resistances
        yield from self.thresholds
        yield from self.exchanges
        yield from self.propositions
        yield from self.duplications
        yield from self.losses

    def element_count(self) -> int:
        return sum(1 for _ in self.elements())

    @model_validator(mode="after")
    def _references_land(self) -> ValueMap:
        problems = list(integrity_problems(self))
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ValueError(problems[0] + more)
        return self


def _quotes_of(element: Element) -> Iterator[Quote]:
    yield from element.evidence
    for improvement in getattr(element, "improvements", ()):
        yield from improvement.evidence


def integrity_problems(value_map: ValueMap) -> Iterator[str]:
    """Say, for each broken reference or repeated id, which element and field is wrong."""
    kind_of: dict[str, str] = {}
    for collection, model in COLLECTIONS.items():
        kind = model.kind_name
        for item in getattr(value_map, collection):
            if item.id in kind_of:
                first = COLLECTIONS[kind_of[item.id]].kind_name
                yield f"id {item.id!r} is used twice (a {first} and a {kind}); give each element its own id"
            kind_of[item.id] = collection

    def check(owner: str, owner_id: str, field: str, ref: str | None, *allowed: str) -> Iterator[str]:
        if ref is None or kind_of.get(ref) in allowed:
            return
        wanted = " or ".join(COLLECTIONS[a].kind_name for a in allowed)
        found = f"a {COLLECTIONS[kind_of[ref]].kind_name}" if ref in kind_of else "not in this map"
        yield f"{owner} {owner_id!r} field {field} refers to {ref!r}, which is {found}; it must name a {wanted}"

    for vep in value_map.veps:
        yield from check("value evocation point", vep.id, "stage_id", vep.stage_id, "stages")
        for ref in vep.proposition_ids:
            yield from check("value evocation point", vep.id, "proposition_ids", ref, "propositions")
    for res in value_map.resistances:
        yield from check("resistance", res.id, "vep_id", res.vep_id, "veps")
    for th in value_map.thresholds:
        yield from check("threshold", th.id, "vep_id", th.vep_id, "veps")
    for ex in value_map.exchanges:
        yield from check("give-get exchange", ex.id, "threshold_id", ex.threshold_id, "thresholds")
        for benefit in ex.organisation_gives:
            yield from check(
                "give-get exchange", ex.id, "organisation_gives.delivered_at_stage_id",
                benefit.delivered_at_stage_id, "stages",
            )
    for vp in value_map.propositions:
        for ref in vp.used_at_ids:
            yield from check("value proposition", vp.id, "used_at_ids", ref, "veps", "thresholds", "stages")
    for dup in value_map.duplications:
        for ref in dup.proposition_ids:
            yield from check("duplication", dup.id, "proposition_ids", ref, "propositions")
        for ref in dup.threshold_ids:
            yield from check("duplication", dup.id, "threshold_ids", ref, "thresholds")
    for loss in value_map.losses:
        for ref in loss.duplication_ids:
            yield from check("loss", loss.id, "duplication_ids", ref, "duplications")
        for ref in loss.threshold_ids:
            yield from check("loss", loss.id, "threshold_ids", ref, "thresholds")
    for element in value_map.elements():
        for quote in _quotes_of(element):
            yield from check(element.kind_name, element.id, "evidence.source_id", quote.source_id, "sources")

