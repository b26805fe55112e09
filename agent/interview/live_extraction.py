"""Each answer changes the map by a patch: new elements, or new evidence for elements already there.

The answer is extracted on its own (with the question before it as context), assembled with the
same grounding as a transcript, and then matched against the session's map by kind and name, or as a
near-duplicate ("Connect" told after "Connect their Google calendar"), so a thing said twice becomes
one element with all its quotes and the map is never regenerated. Sentences that correct the map
become proposed corrections (`corrections.py`), not new elements; what the answer adds is linked to
the element the question was about (a value told at the VEP asked about is called upon there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from agent.assembly import assemble_map
from agent.interview.confirmed_contradictions import confirms_contradiction, duplication_from_confirmation
from agent.interview.corrections import find_corrections
from agent.interview.planning.memory import ElementGroups
from agent.interview.planning.near_duplicates import content_words, same_thing
from agent.interview.session_state import SessionState, remove_element
from schemas.elements import Activation, Element, ValueEvocationPoint
from schemas.evidence import Provenance
from schemas.extraction import DraftMap
from schemas.interview import (
    CorrectionKind,
    DiagnosticStep,
    ElementChange,
    MergedElement,
    PatchEvent,
    Probe,
    ProbeKind,
    ProposedCorrection,
)
from schemas.transcript import Transcript
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap

DraftExtractor = Callable[[Transcript], DraftMap]



def latest_answer(transcript: Transcript) -> Transcript:
    """The last answer with the question before it: all an extractor needs to see for one patch."""
    last = max((t.index for t in transcript.turns if not t.interviewer), default=None)
    if last is None:
        return transcript.model_copy(update={"turns": []})
    keep = [t for t in transcript.turns if t.index in (last - 1, last)]
    return transcript.model_copy(update={"turns": keep})


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold()).strip()


def patch_from_drafts(
    state: SessionState, drafts: Sequence[DraftMap], answer: Transcript, *, provenance: Provenance, extractor: str
) -> PatchEvent:
    fragment, _stats = assemble_map([(draft, answer) for draft in drafts], provenance=provenance,
                                    sources=state.value_map.sources)
    answer_index = len(state.answers) - 1
    asked = _asked(state)
    said = state.answers[-1].text if state.answers else ""
    found = find_corrections(said, answer_index, state.value_map, asked)
    fragment = _without(fragment, found.sentences)
    changes, merged, edits = diff_into(state.value_map, fragment, answer_index=answer_index,
                                       start=len(found.corrections))
    changes = link_to_question(changes, state.value_map, asked, said)
    if confirms_contradiction(asked, said):  # else nothing to record: skip the rebuilds
        changes += duplication_from_confirmation(_with(state.value_map, changes), state.transcript(), asked, said,
                                                 speaker=state.meta.stakeholder, provenance=provenance,
                                                 answer_index=answer_index)
    changes = link_losses(changes, state.value_map, asked, said)
    return PatchEvent(at=datetime.now(UTC), answer_index=answer_index, extractor=extractor, changes=changes,
                      corrections=[*found.corrections, *edits], merged=merged)


def answer_patch(
    state: SessionState, extract: DraftExtractor, *, provenance: Provenance, extractor: str
) -> PatchEvent:
    answer = latest_answer(state.transcript())
    return patch_from_drafts(state, [extract(answer)], answer, provenance=provenance, extractor=extractor)


def _asked(state: SessionState) -> Probe | None:
    """The question the last answer answers (a redirect's or a ladder's stands for the question it re-asks)."""
    questions = state.questions
    for question in reversed(questions):
        if question.probe.kind not in (ProbeKind.SUMMARY, ProbeKind.CLOSE):
            return question.probe
    return questions[-1].probe if questions else None


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w%$€£]+", " ", text.casefold()).split())


def _without(fragment: ValueMap, correcting: frozenset[str]) -> ValueMap:
    """The fragment without what only the correcting sentences said ("the discount isn't a loss" is no loss)."""
    if not correcting:
        return fragment
    folded = [_folded(s) for s in correcting]

    def only_correcting(element: Element) -> bool:
        return bool(element.evidence) and all(any(_folded(q.text) in s for s in folded) for q in element.evidence)

    for element in [e for e in fragment.elements() if only_correcting(e)]:
        if any(e.id == element.id for e in fragment.elements()):
            fragment = remove_element(fragment, element.id)
    return fragment


def diff_into(current: ValueMap, fragment: ValueMap, *, answer_index: int = 0, start: int = 0
              ) -> tuple[list[ElementChange], list[MergedElement], list[ProposedCorrection]]:
    """Changes that fold `fragment` into `current`: known elements and their near-duplicates get evidence,
    new ones are added; a known element told with other figures becomes a proposed edit."""
    taken = {e.id for e in current.elements()}
    renamed: dict[str, str] = {}
    known: dict[str, str] = {}
    merged: list[MergedElement] = []
    for collection in ELEMENT_COLLECTIONS:
        existing: list[Element] = getattr(current, collection)
        by_name = {_key(e.name): e.id for e in existing}
        for element in getattr(fragment, collection):
            if _key(element.name) in by_name:
                known[element.id] = by_name[_key(element.name)]
                continue
            twin = next((e for e in existing if same_thing(e, element)), None)
            if twin is not None:
                known[element.id] = twin.id
                merged.append(MergedElement(collection=collection, into_id=twin.id, into_name=twin.name,
                                            told_as=element.name))
                continue
            new_id, n = element.id, 2
            while new_id in taken:
                new_id, n = f"{element.id}-{n}", n + 1
            taken.add(new_id)
            renamed[element.id] = new_id
    mapping = {**renamed, **known}
    next_order = max((s.order for s in current.stages), default=-1) + 1
    changes: list[ElementChange] = []
    edits: list[ProposedCorrection] = []
    by_id = {e.id: e for e in current.elements()}
    for collection in ELEMENT_COLLECTIONS:
        for element in getattr(fragment, collection):
            if element.id in known:
                linked = _with_new_links(by_id[known[element.id]], _remapped(element.model_dump(), mapping))
                if linked is not None:  # told with links the map lacks: the element, with both its own and those
                    quotes = {(q.source_id, q.start, q.end) for q in linked.evidence}
                    linked = linked.model_copy(update={"evidence": [
                        *linked.evidence, *(q for q in element.evidence if (q.source_id, q.start, q.end) not in quotes)]})
                    changes.append(ElementChange.model_validate(
                        {"collection": collection, "element_id": linked.id, "element": linked}))
                elif element.evidence:
                    changes.append(ElementChange(collection=collection, element_id=known[element.id],  # type: ignore[arg-type]
                                                 new_evidence=element.evidence))
                edit = _figures_told_otherwise(collection, by_id[known[element.id]], element, answer_index,
                                               start + len(edits))
                if edit is not None:
                    edits.append(edit)
                continue
            data = _remapped(element.model_dump(), mapping)
            if collection == "stages":  # told later in the conversation: placed after what the map has
                data["order"], next_order = next_order, next_order + 1
            changes.append(ElementChange.model_validate(
                {"collection": collection, "element_id": data["id"], "element": data}))
    return changes, merged, edits


def _with_new_links(known: Element, told: dict[str, Any]) -> Element | None:
    """The known element with the references (and a known activation) only the new telling had; None if none."""
    update: dict[str, Any] = {}
    for name in REFERENCE_LIST_FIELDS:
        have = getattr(known, name, None)
        if isinstance(have, list) and told.get(name):
            joined = list(dict.fromkeys([*have, *told[name]]))
            if len(joined) > len(have):
                update[name] = joined
    if getattr(known, "activation", None) is Activation.UNKNOWN and told.get("activation") not in (None, "unknown"):
        update["activation"] = Activation(told["activation"])
    return known.model_copy(update=update) if update else None


# Figures an extractor (offline or a model) may tell again differently: a proposed edit, never a silent one.
_FIGURES = (("purchase", "price", "amount"), ("crossing_metric", "value"), ("metric", "value"),
            ("cycle_time_hours",), ("wait_time_hours",))


def _figures_told_otherwise(collection: str, known: Element, told: Element, answer_index: int, n: int
                            ) -> ProposedCorrection | None:
    data = known.model_dump()
    said = told.model_dump()
    changed: list[tuple[float, float]] = []
    for path in _FIGURES:
        old: Any = data
        new: Any = said
        holder: Any = None
        for part in path:
            holder = old
            old = old.get(part) if isinstance(old, dict) else None
            new = new.get(part) if isinstance(new, dict) else None
        if isinstance(old, int | float) and isinstance(new, int | float) and old != new and isinstance(holder, dict):
            holder[path[-1]] = new
            changed.append((old, new))
    if not changed:
        return None
    edited = type(known).model_validate(data)
    old, new = changed[0]
    quote = told.evidence[0].text if told.evidence else told.name
    return ProposedCorrection.model_validate({
        "id": f"fix-{answer_index + 1}-{n + 1}", "kind": CorrectionKind.EDIT, "collection": collection,
        "element_id": known.id, "element_name": known.name, "said": quote, "answer_index": answer_index,
        "description": f"in the {known.kind_name} “{known.name}”: {new:g}, not {old:g}",
        "edited": {"collection": collection, "element_id": known.id, "element": edited}})


ACTS_BECAUSE = re.compile(r"\b(because|that's why|that is why|so they|which makes them|makes them|convinces)\b",
                          re.IGNORECASE)
ONLY_LIKED = re.compile(r"\b(like[sd]? it,? but|love[sd]? it,? but|nice,? but|interested,? but|but (they )?"
                        r"(don't|do not|never) (act|buy|sign|pay))\b", re.IGNORECASE)


def link_to_question(changes: list[ElementChange], current: ValueMap, asked: Probe | None, said: str
                     ) -> list[ElementChange]:
    """Tie what an answer adds to what the question was about: a value told in answer to "what makes them
    act at X" is called upon at X; a loss told about a threshold traces back to it (or to any threshold the
    answer names)."""
    if not changes:
        return changes
    after = _with(current, changes)
    groups = ElementGroups.of(after)
    added = {c.element_id for c in changes if c.element is not None}
    vep, threshold = _anchor(after, asked)
    named = _named_thresholds(after, groups, said)
    if vep is None and asked is not None and not asked.element_ids:  # "what makes them act": at the VEP named
        vep = next((v for v in after.veps if v.id not in added and (w := groups.words(groups.of_ids([v.id])))
                    and w & set(content_words(said))), None)
    updated: dict[str, Element] = {}
    abandoned: set[str] = set()  # points the answer's extraction hung a resistance or exchange on, now moved
    new_propositions = [p for p in after.propositions if p.id in added and not p.used_at_ids]
    if vep is not None and new_propositions and asked is not None and asked.step is not None \
            and asked.step in (DiagnosticStep.VALUE_EVOKED, DiagnosticStep.VEPS, DiagnosticStep.THRESHOLDS,
                               DiagnosticStep.FINAL_THRESHOLD):
        for proposition in new_propositions:
            updated[proposition.id] = proposition.model_copy(update={"used_at_ids": [vep.id]})
        activation = (Activation.RESONATES if ONLY_LIKED.search(said) else
                      Activation.ACTIVATES if ACTS_BECAUSE.search(said) else vep.activation)
        updated[vep.id] = vep.model_copy(update={
            "proposition_ids": list(dict.fromkeys([*vep.proposition_ids, *(p.id for p in new_propositions)])),
            "activation": activation})
    told_value = {p.id for p in after.propositions if p.id in added}
    for point in after.veps:  # "they connect because we tell them ...": the value told there activates
        shown = updated.get(point.id, point)
        if isinstance(shown, ValueEvocationPoint) and shown.activation is Activation.UNKNOWN \
                and told_value & set(shown.proposition_ids):
            activation = (Activation.RESONATES if ONLY_LIKED.search(said) else
                          Activation.ACTIVATES if ACTS_BECAUSE.search(said) else Activation.UNKNOWN)
            if activation is not Activation.UNKNOWN:
                updated[point.id] = shown.model_copy(update={"activation": activation})
    if threshold is not None and asked is not None and asked.step is DiagnosticStep.EXCHANGES:
        for exchange in after.exchanges:  # the exchange told in answer to "what do they give to get past T" is T's
            if exchange.id in added and exchange.threshold_id in added and exchange.threshold_id != threshold.id:
                abandoned.add(exchange.threshold_id)
                updated[exchange.id] = exchange.model_copy(update={"threshold_id": threshold.id})
    if vep is not None and asked is not None and asked.step is DiagnosticStep.RESISTANCE and asked.element_ids:
        for resistance in after.resistances:  # "why must they act at V": the resistance told is V's
            if resistance.id in added and resistance.vep_id in added and resistance.vep_id != vep.id:
                abandoned.add(resistance.vep_id)
                updated[resistance.id] = resistance.model_copy(update={"vep_id": vep.id})
    for loss in after.losses:
        if loss.duplication_ids or loss.threshold_ids:
            continue
        if loss.id in added or (asked is not None and loss.id in asked.element_ids):
            targets = named or ([threshold.id] if threshold is not None and loss.id in added else [])
            if targets:
                updated[loss.id] = loss.model_copy(update={"threshold_ids": targets})
    if not updated:
        return changes
    kept = [c for c in changes if not (c.element is not None and c.element_id in updated)]
    collection_of = {e.id: name for name in ELEMENT_COLLECTIONS for e in getattr(after, name)}
    for element_id, element in updated.items():
        kept.append(ElementChange.model_validate({"collection": collection_of[element_id], "element_id": element_id,
                                                  "element": element}))
    return _without_orphans(kept, current, abandoned)


def _without_orphans(changes: list[ElementChange], current: ValueMap, abandoned: set[str]) -> list[ElementChange]:
    """Drop the stages, VEPs and thresholds this patch added only to hang a resistance or exchange on, once
    that resistance or exchange belongs to the point the question was about (nothing else points to them)."""
    known = {e.id for e in current.elements()}
    while True:
        after = _with(current, changes)
        pointed = {ref for e in after.elements() for ref in _references(e) if ref != e.id}
        orphans = {c.element_id for c in changes if c.element is not None and c.collection in _POINTS
                   and c.element_id not in known and c.element_id not in pointed
                   and (c.element_id in abandoned or _told_only_here(c, after))}
        if not orphans:
            return changes
        changes = [c for c in changes if c.element_id not in orphans]


_POINTS = ("stages", "veps", "thresholds")


def _references(element: Element) -> list[str]:
    found: list[str] = []
    for name in REFERENCE_FIELDS:
        value = getattr(element, name, None)
        if isinstance(value, str):
            found.append(value)
    for name in REFERENCE_LIST_FIELDS:
        found += getattr(element, name, None) or []
    return found


def _told_only_here(change: ElementChange, after: ValueMap) -> bool:
    """A point that the map needs for its own sake is kept: a threshold, or a VEP/stage with one below it."""
    if change.collection == "thresholds":
        return False  # a condition to cross is worth keeping even if nothing else points to it
    if change.collection == "veps":
        return not any(t.vep_id == change.element_id for t in after.thresholds)
    return not any(v.stage_id == change.element_id for v in after.veps)


EXPECTATION = re.compile(r"\b(expected|expect|were told|thought they|promised|was promised)\b", re.IGNORECASE)


def link_losses(changes: list[ElementChange], current: ValueMap, asked: Probe | None, said: str
                ) -> list[ElementChange]:
    """A loss explained by an expectation ("because they expected an instant answer") traces back to the
    duplication whose versions of the promise the answer echoes."""
    if not EXPECTATION.search(said):
        return changes
    after = _with(current, changes)
    said_words = {w for w in content_words(said) if not w[0].isdigit()}
    statements = {p.id: set(content_words(p.statement)) for p in after.propositions}
    echoed = [d.id for d in after.duplications
              if any(len(statements.get(p, set()) & said_words) >= 2 for p in d.proposition_ids)]
    if not echoed:
        return changes
    added = {c.element_id for c in changes if c.element is not None}
    asked_ids = set(asked.element_ids) if asked is not None else set()
    updated = {loss.id: loss.model_copy(update={"duplication_ids": echoed[-1:]}) for loss in after.losses
               if not loss.duplication_ids and (loss.id in added or loss.id in asked_ids)}
    if not updated:
        return changes
    return [c for c in changes if not (c.element is not None and c.element_id in updated)] + [
        ElementChange(collection="losses", element_id=loss_id, element=loss) for loss_id, loss in updated.items()]


def _with(current: ValueMap, changes: list[ElementChange]) -> ValueMap:
    from agent.interview.session_state import apply_changes

    return apply_changes(current, changes)


def _anchor(value_map: ValueMap, asked: Probe | None) -> tuple[ValueEvocationPoint | None, Element | None]:
    """The VEP and threshold the question was about, if it was about one."""
    if asked is None or not asked.element_ids:
        return None, None
    first = asked.element_ids[0]
    threshold = next((t for t in value_map.thresholds if t.id == first), None)
    vep_id = threshold.vep_id if threshold is not None else first
    vep = next((v for v in value_map.veps if v.id == vep_id or v.stage_id == vep_id), None)
    if threshold is None and vep is not None:
        threshold = next((t for t in value_map.thresholds if t.vep_id == vep.id), None)
    return vep, threshold


def _named_thresholds(value_map: ValueMap, groups: ElementGroups, said: str) -> list[str]:
    """Thresholds whose names' distinctive words the answer uses."""
    words = set(content_words(said))
    return [t.id for t in value_map.thresholds if (named := groups.words(groups.of_ids([t.id]))) and named & words]


def _remapped(data: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    data["id"] = mapping.get(data["id"], data["id"])
    for name in REFERENCE_FIELDS:
        if isinstance(data.get(name), str):
            data[name] = mapping.get(data[name], data[name])
    for name in REFERENCE_LIST_FIELDS:
        if name in data:
            data[name] = list(dict.fromkeys(mapping.get(v, v) for v in data[name]))
    for benefit in data.get("organisation_gives", []):
        if benefit.get("delivered_at_stage_id"):
            benefit["delivered_at_stage_id"] = mapping.get(benefit["delivered_at_stage_id"],
                                                           benefit["delivered_at_stage_id"])
    data.pop("verified", None)
    for quote in data.get("evidence", []):
        quote.pop("verified", None)
    return data
