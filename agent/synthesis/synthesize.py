"""Per-source maps into one engagement map: one element per thing, however many people told it.

Elements of the same kind whose names say the same thing (identical, or close in meaning) become one
element with everyone's evidence; its corroboration is the number of independent voices behind it.
Where the embedder is unsure, the merge is proposed, not applied: a person decides, and the decision is
kept. Where stakeholders tell the same value differently, the disagreement is recorded as a
duplication with both quotes, instead of one version being picked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agent.checks.divergence import TextEmbedder, embed_propositions, find_divergences
from schemas.elements import Duplication, Element, Purchase, Threshold, ValueProposition
from schemas.engagement import MergeDecision, MergeDecisions, MergeProposal
from schemas.evidence import ProposedBy, Provenance
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap

# Labels this close are the same element told twice; between UNSURE and SURE a person decides.
SURE_MERGE = 0.85
UNSURE_MERGE = 0.70

# Each element weighs its NEIGHBOURS closest labels from other maps; similarity rows come in blocks.
NEIGHBOURS = 8
_BLOCK = 1024

SYNTHESIS = Provenance(proposed_by=ProposedBy.OFFLINE_EXTRACTOR, prompt="synthesis@1")


@dataclass
class Synthesis:
    value_map: ValueMap
    proposals: list[MergeProposal] = field(default_factory=list)
    merged: int = 0  # elements folded into one told by another source
    contradictions: int = 0  # duplications recorded between stakeholders


@dataclass
class _Member:
    map_index: int
    collection: str
    element: Element
    key: str  # namespaced id, unique across maps


def _members(maps: Sequence[ValueMap]) -> list[_Member]:
    return [_Member(i, c, e, f"m{i}:{e.id}") for i, m in enumerate(maps) for c in ELEMENT_COLLECTIONS
            for e in getattr(m, c)]


def _label(element: Element) -> str:
    if isinstance(element, ValueProposition):
        return element.statement
    action = getattr(element, "customer_action", None)
    return f"{element.name}: {action}" if action else element.name


def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def synthesize(
    maps: Sequence[ValueMap],
    *,
    title: str = "Engagement map",
    embedder: TextEmbedder | None = None,
    decisions: MergeDecisions | None = None,
) -> Synthesis:
    decided = decisions.decisions if decisions else {}
    members = _members(maps)
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    result = Synthesis(value_map=ValueMap(title=title))
    for collection, indices, pairs in _pairs_by_collection(members, embedder):
        unsure: list[tuple[int, int, float]] = []
        for a, b, score in pairs:
            if score >= SURE_MERGE:
                parent[root(indices[a])] = root(indices[b])
            else:
                unsure.append((a, b, score))
        for a, b, score in unsure:
            if root(indices[a]) == root(indices[b]):
                continue  # already one element through surer merges: nothing to ask
            first, second = members[indices[a]], members[indices[b]]
            proposal = MergeProposal(collection=collection, first_id=first.element.id, first_name=first.element.name,
                                     second_id=second.element.id, second_name=second.element.name,
                                     similarity=round(score, 3))
            decision = decided.get(proposal.key)
            if decision is MergeDecision.MERGE:
                parent[root(indices[a])] = root(indices[b])
            elif decision is None:
                result.proposals.append(proposal)

    groups: dict[int, list[int]] = {}
    for i in range(len(members)):
        groups.setdefault(root(i), []).append(i)
    canonical_of: dict[str, str] = {}
    used: set[str] = set()
    heads: list[tuple[_Member, list[_Member]]] = []
    for group in sorted(groups.values(), key=min):
        head = members[min(group)]
        new_id, n = head.element.id, 2
        while new_id in used:
            new_id, n = f"{head.element.id}-{n}", n + 1
        used.add(new_id)
        for i in group:
            canonical_of[members[i].key] = new_id
        heads.append((head, [members[i] for i in sorted(group)]))
        result.merged += len(group) - 1

    data: dict[str, list[dict[str, Any]]] = {c: [] for c in ELEMENT_COLLECTIONS}
    for head, told_by in heads:
        data[head.collection].append(_merged_element(head, told_by, canonical_of))
    sources = {s.id: s for m in maps for s in m.sources}
    merged = ValueMap.model_validate({"schema_version": 1, "title": title, "sources": list(sources.values()), **data})
    result.value_map, result.contradictions = _record_contradictions(merged, embedder)
    return result


def _pairs_by_collection(
    members: list[_Member], embedder: TextEmbedder | None
) -> Iterator[tuple[str, list[int], list[tuple[int, int, float]]]]:
    """Per collection: its members' indices and the scored pairs (positions in that list) to consider."""
    for collection in ELEMENT_COLLECTIONS:
        indices = [i for i, m in enumerate(members) if m.collection == collection]
        if len(indices) < 2:
            continue
        labels = [_label(members[i].element) for i in indices]
        origin = np.array([members[i].map_index for i in indices])
        vectors = embedder.embed(labels) if embedder is not None else None
        yield collection, indices, _candidate_pairs([_folded(label) for label in labels], origin, vectors)


def candidate_pair_count(maps: Sequence[ValueMap], embedder: TextEmbedder | None) -> int:
    """How many pairs synthesis weighs for these maps (what the benchmark shows grows linearly)."""
    members = _members(maps)
    return sum(len(pairs) for _, _, pairs in _pairs_by_collection(members, embedder))


def _candidate_pairs(
    folded: list[str], origin: np.ndarray, vectors: np.ndarray | None
) -> list[tuple[int, int, float]]:
    """Pairs from different maps that may be one element: equal names, or close enough in meaning.

    Linear in elements beyond the similarity rows themselves: equal names are chained to the first
    of their name from another map, and each element keeps only its NEIGHBOURS closest labels from
    other maps. A group told by many sources stays connected through those links.
    """
    scored: dict[tuple[int, int], float] = {}
    by_name: dict[str, list[int]] = {}
    for index, name in enumerate(folded):
        by_name.setdefault(name, []).append(index)
    for same in by_name.values():
        for index in same:
            partner = next((other for other in same if origin[other] != origin[index]), None)
            if partner is not None:
                scored[(min(index, partner), max(index, partner))] = 1.0
    if vectors is not None:
        for start in range(0, len(folded), _BLOCK):
            block = vectors[start:start + _BLOCK] @ vectors.T
            block[origin[start:start + _BLOCK, None] == origin[None, :]] = -1.0  # same map: never merged
            keep = min(NEIGHBOURS, block.shape[1])
            nearest = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
            for row, columns in enumerate(nearest):
                a = start + row
                for b in columns:
                    score = float(block[row, b])
                    if score >= UNSURE_MERGE:
                        key = (min(a, int(b)), max(a, int(b)))
                        scored[key] = max(scored.get(key, 0.0), score)
    return [(a, b, score) for (a, b), score in sorted(scored.items())]


def _merged_element(head: _Member, group: list[_Member], canonical_of: dict[str, str]) -> dict[str, Any]:
    data = head.element.model_dump()
    data["id"] = canonical_of[head.key]
    evidence: list[dict[str, Any]] = []
    seen: set[tuple[str, int | None, int | None]] = set()
    for member in group:
        for quote in member.element.evidence:
            spot = (quote.source_id, quote.start, quote.end)
            if spot not in seen:
                seen.add(spot)
                evidence.append(quote.model_dump())
    data["evidence"] = evidence
    # One element told by several sources keeps what any of them said: the first source's values stand, and a
    # field only another source gave (a crossing rate, a loss's metric, an audience, a purchase) fills the gap.
    for member in group:
        if member is head:
            continue
        told = member.element.model_dump()
        for name, value in data.items():
            if value is None and name not in REFERENCE_FIELDS and told.get(name) is not None:
                data[name] = told[name]
    namespace = f"m{head.map_index}:"
    for name in REFERENCE_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = canonical_of[namespace + data[name]]
    for name in REFERENCE_LIST_FIELDS:
        if name in data:
            values: list[str] = []
            for member in group:
                for ref in getattr(member.element, name):
                    target = canonical_of[f"m{member.map_index}:{ref}"]
                    if target not in values:
                        values.append(target)
            data[name] = values
    for benefit in data.get("organisation_gives", []):
        if benefit.get("delivered_at_stage_id"):
            benefit["delivered_at_stage_id"] = canonical_of[namespace + benefit["delivered_at_stage_id"]]
    if isinstance(head.element, Threshold) and data.get("purchase") is not None:
        _fill_scorecard(data["purchase"], [m.element.purchase for m in group
                                           if isinstance(m.element, Threshold) and m.element.purchase is not None])
    return data


def _fill_scorecard(purchase: dict[str, Any], purchases: list[Purchase]) -> None:
    """Perceived value and accumulated loss only another source gave: taken together, and only at the same price,
    so they stay in that price's unit."""
    if purchase["perceived_value"] is None and purchase["accumulated_loss"] is None:
        price = purchase["price"]
        scored = next((p for p in purchases if p.surviving_value is not None
                       and (price is None or p.price is None or p.price.model_dump() == price)), None)
        if scored is not None:
            purchase["perceived_value"], purchase["accumulated_loss"] = scored.perceived_value, scored.accumulated_loss
            purchase["price"] = price if price is not None else (scored.price.model_dump() if scored.price else None)


def _speakers(proposition: ValueProposition) -> set[tuple[str, str | None]]:
    return {(q.source_id, q.speaker) for q in proposition.evidence if q.verified}


def _common_ground(first: ValueProposition, second: ValueProposition,
                   stages_of: dict[str, set[str]]) -> str | None:
    """Where two propositions meet, if they do: a threshold, an audience, or a stage they are used at.

    Two people only contradict each other about the same moment or the same people; related value
    told at unrelated places is the checks' business (stage reframing), not a disagreement.
    """
    shared = [i for i in first.used_at_ids if i in second.used_at_ids]
    if shared:
        return f"at {shared[0]}"
    if first.audience and second.audience and _folded(first.audience) == _folded(second.audience):
        return f"to {first.audience}"
    common = sorted(stages_of.get(first.id, set()) & stages_of.get(second.id, set()))
    return f"at stage {common[0]}" if common else None


def _record_contradictions(value_map: ValueMap, embedder: TextEmbedder | None) -> tuple[ValueMap, int]:
    """Propositions told differently by different people about the same place or people become a
    duplication holding both quotes."""
    if embedder is None or len(value_map.propositions) < 2:
        return value_map, 0
    vectors = embed_propositions(value_map.propositions, embedder)
    by_id = {p.id: p for p in value_map.propositions}
    recorded = {frozenset(d.proposition_ids) for d in value_map.duplications}
    stages_of: dict[str, set[str]] = {}  # proposition id -> the stages of the VEPs that use it
    for vep in value_map.veps:
        for proposition_id in vep.proposition_ids:
            stages_of.setdefault(proposition_id, set()).add(vep.stage_id)
    threshold_ids = {t.id for t in value_map.thresholds}
    added: list[Duplication] = []
    for divergence in find_divergences(value_map.propositions, vectors, across_places_only=False):
        first, second = by_id[divergence.first_id], by_id[divergence.second_id]
        if not _speakers(first) or not _speakers(second) or _speakers(first) & _speakers(second):
            continue  # only a disagreement between different voices is a contradiction to record
        if frozenset((first.id, second.id)) in recorded:
            continue
        ground = _common_ground(first, second, stages_of)
        if ground is None:
            continue
        voices = " and ".join(sorted({f"{speaker or 'someone'} ({source})"
                                      for source, speaker in _speakers(first) | _speakers(second)}))
        thresholds = [i for i in dict.fromkeys(first.used_at_ids + second.used_at_ids) if i in threshold_ids]
        added.append(Duplication(
            id=f"dup-{first.id}-vs-{second.id}"[:120], name=f"{first.name} / {second.name}"[:200],
            detail=f"Told differently {ground} by {voices}: {divergence.why}.", kind=divergence.kind,
            proposition_ids=[first.id, second.id], threshold_ids=thresholds,
            evidence=[*first.verified_evidence[:1], *second.verified_evidence[:1]], provenance=SYNTHESIS,
        ))
    if not added:
        return value_map, 0
    document = value_map.model_dump()
    document["duplications"] += [d.model_dump() for d in added]
    return ValueMap.model_validate(document), len(added)
