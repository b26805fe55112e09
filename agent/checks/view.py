"""Indices over one map, built once per check run so every check is a lookup, not a scan.

Checks read a `MapView`, never a bare `ValueMap`: the view also carries what was computed at the
edge (proposition vectors for semantic comparison), so the checks themselves stay pure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from agent.checks.divergence import PropositionVectors
from schemas.elements import (
    Element,
    GiveGetExchange,
    Perspective,
    Resistance,
    Source,
    Stage,
    Threshold,
    ValueEvocationPoint,
    ValueLink,
)
from schemas.evidence import Quote
from schemas.value_map import ValueMap

ANCHORED_LINKS = frozenset({ValueLink.DIRECT, ValueLink.INDIRECT})


@dataclass(frozen=True)
class MapView:
    map: ValueMap
    vectors: PropositionVectors | None = None
    stages: dict[str, Stage] = field(default_factory=dict)
    veps: dict[str, ValueEvocationPoint] = field(default_factory=dict)
    thresholds: dict[str, Threshold] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    veps_by_stage: dict[str, list[ValueEvocationPoint]] = field(default_factory=dict)
    resistances_by_vep: dict[str, list[Resistance]] = field(default_factory=dict)
    thresholds_by_vep: dict[str, list[Threshold]] = field(default_factory=dict)
    exchanges_by_threshold: dict[str, list[GiveGetExchange]] = field(default_factory=dict)
    losses_by_duplication: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, value_map: ValueMap, vectors: PropositionVectors | None = None) -> MapView:
        veps_by_stage: defaultdict[str, list[ValueEvocationPoint]] = defaultdict(list)
        for vep in value_map.veps:
            veps_by_stage[vep.stage_id].append(vep)
        resistances_by_vep: defaultdict[str, list[Resistance]] = defaultdict(list)
        for resistance in value_map.resistances:
            resistances_by_vep[resistance.vep_id].append(resistance)
        thresholds_by_vep: defaultdict[str, list[Threshold]] = defaultdict(list)
        for threshold in value_map.thresholds:
            thresholds_by_vep[threshold.vep_id].append(threshold)
        exchanges_by_threshold: defaultdict[str, list[GiveGetExchange]] = defaultdict(list)
        for exchange in value_map.exchanges:
            exchanges_by_threshold[exchange.threshold_id].append(exchange)
        losses_by_duplication: defaultdict[str, list[str]] = defaultdict(list)
        for loss in value_map.losses:
            for dup_id in loss.duplication_ids:
                losses_by_duplication[dup_id].append(loss.id)
        return cls(
            map=value_map,
            vectors=vectors,
            stages={s.id: s for s in value_map.stages},
            veps={v.id: v for v in value_map.veps},
            thresholds={t.id: t for t in value_map.thresholds},
            sources={s.id: s for s in value_map.sources},
            veps_by_stage=dict(veps_by_stage),
            resistances_by_vep=dict(resistances_by_vep),
            thresholds_by_vep=dict(thresholds_by_vep),
            exchanges_by_threshold=dict(exchanges_by_threshold),
            losses_by_duplication=dict(losses_by_duplication),
        )

    def is_anchored(self, stage: Stage) -> bool:
        return stage.value_link in ANCHORED_LINKS

    def resistances_at(self, threshold: Threshold) -> list[Resistance]:
        return self.resistances_by_vep.get(threshold.vep_id, [])

    def exchanges_at(self, threshold: Threshold) -> list[GiveGetExchange]:
        return self.exchanges_by_threshold.get(threshold.id, [])

    def stage_of(self, threshold: Threshold) -> Stage | None:
        vep = self.veps.get(threshold.vep_id)
        return self.stages.get(vep.stage_id) if vep else None

    def final_thresholds(self) -> list[Threshold]:
        return [t for t in self.map.thresholds if t.is_final]

    def perspective_of(self, quote: Quote) -> Perspective:
        source = self.sources.get(quote.source_id)
        return source.perspective_of(quote.speaker) if source else Perspective.INTERNAL

    def is_grounded(self, element: Element) -> bool:
        return any(q.verified for q in element.evidence)
