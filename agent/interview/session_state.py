"""A session's state, rebuilt from its events: the conversation, the map and what a person decided.

Everything here is a pure function of the event list, so resuming a session, replaying it and the
live app all see the same state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from schemas.elements import Element, Source, Stakeholder
from schemas.evidence import Review
from schemas.interview import (
    AnswerEvent,
    CorrectionEvent,
    CorrectionKind,
    ElementChange,
    MetaEvent,
    PatchEvent,
    ProposedCorrection,
    QuestionEvent,
    ReviewEvent,
    SessionEvent,
)
from schemas.transcript import Transcript, Turn
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_LIST_FIELDS, REQUIRED_REFERENCE, ValueMap

Exchange = QuestionEvent | AnswerEvent


@dataclass
class SessionState:
    meta: MetaEvent
    value_map: ValueMap
    history: list[Exchange] = field(default_factory=list)
    patches: list[PatchEvent] = field(default_factory=list)
    reviews: list[ReviewEvent] = field(default_factory=list)
    decisions: dict[str, CorrectionEvent] = field(default_factory=dict)  # correction id -> a person's decision

    @classmethod
    def new(cls, meta: MetaEvent) -> SessionState:
        return cls(meta=meta, value_map=empty_session_map(meta))

    @classmethod
    def from_events(cls, events: Sequence[SessionEvent]) -> SessionState:
        meta = events[0]
        assert isinstance(meta, MetaEvent)
        state = cls.new(meta)
        for event in events[1:]:
            state.apply(event)
        return state

    def apply(self, event: SessionEvent) -> None:
        if isinstance(event, QuestionEvent | AnswerEvent):
            self.history.append(event)
        elif isinstance(event, PatchEvent):
            self.value_map = apply_changes(self.value_map, event.changes)
            self.patches.append(event)
        elif isinstance(event, ReviewEvent):
            self.value_map = apply_review(self.value_map, event)
            self.reviews.append(event)
        elif isinstance(event, CorrectionEvent):
            correction = self.correction(event.correction_id)
            if event.accepted and correction is not None:
                self.value_map = apply_correction(self.value_map, correction, event.person)
            self.decisions[event.correction_id] = event

    def correction(self, correction_id: str) -> ProposedCorrection | None:
        return next((c for p in self.patches for c in p.corrections if c.id == correction_id), None)

    @property
    def pending_corrections(self) -> list[ProposedCorrection]:
        """Corrections the stakeholder made that no person has decided yet (and whose element is still there)."""
        ids = {e.id for e in self.value_map.elements()}
        return [c for p in self.patches for c in p.corrections if c.id not in self.decisions and c.element_id in ids]

    @property
    def answers(self) -> list[AnswerEvent]:
        return [e for e in self.history if isinstance(e, AnswerEvent)]

    @property
    def questions(self) -> list[QuestionEvent]:
        return [e for e in self.history if isinstance(e, QuestionEvent)]

    @property
    def pending_question(self) -> QuestionEvent | None:
        """The question on screen that has no answer yet (what a resumed session shows first)."""
        return self.history[-1] if self.history and isinstance(self.history[-1], QuestionEvent) else None

    def transcript(self) -> Transcript:
        return session_transcript(self.meta, self.history)


def empty_session_map(meta: MetaEvent) -> ValueMap:
    source = Source(
        id=meta.session_id,
        title=f"Interview with {meta.stakeholder}" + (f" ({meta.role})" if meta.role else ""),
        path=f"sessions/{meta.session_id}.jsonl",
        perspective=meta.perspective,
        date=meta.started.date().isoformat(),
        stakeholders=[Stakeholder(name=meta.stakeholder, role=meta.role),
                      Stakeholder(name=meta.interviewer, interviewer=True)],
    )
    return ValueMap(title=f"Interview with {meta.stakeholder}", sources=[source])


def session_transcript(meta: MetaEvent, history: Iterable[Exchange]) -> Transcript:
    """The conversation laid out like any transcript, so grounding and extraction work on it unchanged."""
    parts: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for index, event in enumerate(history):
        speaker = meta.interviewer if isinstance(event, QuestionEvent) else meta.stakeholder
        words = " ".join(event.text.split())
        if not words:
            continue
        label = f"{speaker}: "
        start = offset + len(label)
        turns.append(Turn(index=len(turns), speaker=speaker, text=words, start=start, end=start + len(words),
                          line=index + 1, interviewer=isinstance(event, QuestionEvent)))
        parts.append(label + words)
        offset = start + len(words) + 2
    return Transcript(source_id=meta.session_id, path=f"sessions/{meta.session_id}.jsonl", format="interview",
                      text="\n\n".join(parts), turns=turns)


def apply_changes(value_map: ValueMap, changes: Iterable[ElementChange]) -> ValueMap:
    data = {name: list(getattr(value_map, name)) for name in ELEMENT_COLLECTIONS}
    for change in changes:
        items: list[Element] = data[change.collection]
        position = next((i for i, item in enumerate(items) if item.id == change.element_id), None)
        if change.element is not None:
            if position is None:
                items.append(change.element)
            else:
                items[position] = change.element
        elif position is not None and change.new_evidence:
            current = items[position]
            have = {(q.source_id, q.start, q.end) for q in current.evidence}
            added = [q for q in change.new_evidence if (q.source_id, q.start, q.end) not in have]
            items[position] = current.model_copy(update={"evidence": [*current.evidence, *added]})
    return ValueMap.model_validate({**value_map.model_dump(include={"schema_version", "title", "description",
                                                                    "sources"}), **data})


def apply_correction(value_map: ValueMap, correction: ProposedCorrection, person: str | None) -> ValueMap:
    """An accepted correction: the element goes (remove), the threshold goes but its VEP stays (retype), or the
    element says what the stakeholder said (edit)."""
    if correction.kind in (CorrectionKind.REMOVE, CorrectionKind.RETYPE) or correction.edited is None:
        return remove_element(value_map, correction.element_id)
    review = ReviewEvent(at=datetime.now(UTC), element_id=correction.element_id, review=Review.EDITED,
                         edited=correction.edited, person=person)
    return apply_review(value_map, review)


def apply_review(value_map: ValueMap, review: ReviewEvent) -> ValueMap:
    if review.review is Review.REJECTED:
        return remove_element(value_map, review.element_id)
    changes = []
    if review.edited is not None:
        changes.append(review.edited)
        changes += renamed_after(value_map, review.edited)
        changes += refigured_after(value_map, review.edited)
    value_map = apply_changes(value_map, changes)
    data = {name: [_reviewed(item, review) for item in getattr(value_map, name)] for name in ELEMENT_COLLECTIONS}
    return value_map.model_copy(update=data)


def renamed_after(value_map: ValueMap, edited: ElementChange) -> list[ElementChange]:
    """An element renamed by a person: the stage, VEP and threshold of the same point in the stream that bear
    its old name follow (the offline rules name all three after what the customer does there)."""
    if edited.element is None:
        return []
    before = next((e for e in getattr(value_map, edited.collection) if e.id == edited.element_id), None)
    if before is None or before.name == edited.element.name or edited.collection not in _NAMED_CHAIN:
        return []
    old, new = before.name, edited.element.name
    chain = _point_chain(value_map, edited.element_id)
    followers: list[ElementChange] = []
    for collection in _NAMED_CHAIN:
        for item in getattr(value_map, collection):
            if item.id in chain and item.id != edited.element_id and item.name.casefold() == old.casefold():
                followers.append(ElementChange.model_validate(
                    {"collection": collection, "element_id": item.id,
                     "element": item.model_copy(update={"name": new})}))
    return followers


_NAMED_CHAIN = ("stages", "veps", "thresholds")


def _point_chain(value_map: ValueMap, element_id: str) -> set[str]:
    """The stage, VEPs and thresholds of the point in the stream `element_id` sits at (itself included)."""
    stage_of_vep = {v.id: v.stage_id for v in value_map.veps}
    vep_of_threshold = {t.id: t.vep_id for t in value_map.thresholds}
    point = vep_of_threshold.get(element_id, element_id)
    point = stage_of_vep.get(point, point)
    chain = {point, element_id} | {v for v, s in stage_of_vep.items() if s == point}
    return chain | {t for t, v in vep_of_threshold.items() if v in chain}


_FIGURE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d]|[.,]\d)")


def _figures(data: Any) -> set[str]:
    """The figures an element states (in its texts and numeric fields), not counting what was quoted."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("evidence", "provenance", "id", "order") or key.endswith("_id") or key.endswith("_ids"):
                continue
            if isinstance(value, str):
                found.update(f"{float(n.replace(',', '.')):g}" for n in _FIGURE.findall(value))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                found.add(f"{value:g}")
            else:
                found |= _figures(value)
    elif isinstance(data, list):
        for item in data:
            found |= _figures(item)
    return found


def refigured_after(value_map: ValueMap, edited: ElementChange) -> list[ElementChange]:
    """An element told with another figure ("the price is 12, not 15"): the stage and VEP of the same point that
    state the old figure follow. The offline names no longer carry figures, so the name cannot lead here."""
    if edited.element is None:
        return []
    before = next((e for e in getattr(value_map, edited.collection) if e.id == edited.element_id), None)
    if before is None:
        return []
    old, new = _figures(before.model_dump()), _figures(edited.element.model_dump())
    gone, came = old - new, new - old
    if len(gone) != 1 or len(came) != 1:
        return []  # not one figure for another: nothing to carry over
    (was,), (now,) = gone, came
    chain = _point_chain(value_map, edited.element_id)
    followers: list[ElementChange] = []
    for collection in _NAMED_CHAIN:
        for item in getattr(value_map, collection):
            if item.id not in chain or item.id == edited.element_id:
                continue
            data = item.model_dump()
            if replace_figure(data, was, now):
                followers.append(ElementChange.model_validate(
                    {"collection": collection, "element_id": item.id,
                     "element": type(item).model_validate({**data, "evidence": item.evidence})}))
    return followers


def _reviewed(item: Element, review: ReviewEvent) -> Element:
    if item.id != review.element_id:
        return item
    provenance = item.provenance.model_copy(update={"review": review.review, "person": review.person})
    return item.model_copy(update={"provenance": provenance})


def standing_on(value_map: ValueMap, element_id: str) -> set[str]:
    """`element_id` and every element that cannot stand without it, transitively (a threshold on its VEP, an
    exchange on that threshold, a duplication whose propositions are all gone)."""
    gone = {element_id}
    while True:
        before = len(gone)
        for name, (field_name, _) in REQUIRED_REFERENCE.items():
            for item in getattr(value_map, name):
                value = getattr(item, field_name)
                if (all(ref in gone for ref in value) if isinstance(value, list) else value in gone):
                    gone.add(item.id)
        if len(gone) == before:
            return gone


def remove_element(value_map: ValueMap, element_id: str) -> ValueMap:
    """Remove an element, what cannot stand without it, and every reference to them."""
    gone = standing_on(value_map, element_id)
    data = {name: list(getattr(value_map, name)) for name in ELEMENT_COLLECTIONS}
    for name in ELEMENT_COLLECTIONS:
        kept = []
        for item in data[name]:
            if item.id in gone:
                continue
            updates: dict[str, object] = {f: [v for v in getattr(item, f) if v not in gone]
                                          for f in REFERENCE_LIST_FIELDS if hasattr(item, f)}
            if name == "exchanges":
                updates["organisation_gives"] = [
                    b.model_copy(update={"delivered_at_stage_id": None}) if b.delivered_at_stage_id in gone else b
                    for b in item.organisation_gives  # type: ignore[attr-defined]
                ]
            kept.append(item.model_copy(update=updates) if updates else item)
        data[name] = kept
    return ValueMap.model_validate({**value_map.model_dump(include={"schema_version", "title", "description",
                                                                    "sources"}), **data})


def replace_figure(data: Any, old: str, new: str, *, texts: bool = True) -> bool:
    """Replace the figure `old` by `new` in names, texts and numeric fields, in place; True if any changed."""
    old_value, new_value = float(old.replace(",", ".")), float(new.replace(",", "."))
    pattern = re.compile(rf"(?<![\d.,]){re.escape(old)}(?![\d]|[.,]\d)")
    changed = False
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("evidence", "provenance", "id") or key.endswith("_id") or key.endswith("_ids"):
                continue
            if isinstance(value, str) and texts and pattern.search(value):
                data[key] = pattern.sub(new, value)
                changed = True
            elif isinstance(value, int | float) and not isinstance(value, bool) and value == old_value \
                    and key not in ("order",):
                data[key] = new_value if isinstance(value, float) else int(new_value)
                changed = True
            elif isinstance(value, dict | list):
                changed = replace_figure(value, old, new, texts=texts) or changed
    elif isinstance(data, list):
        for item in data:
            changed = replace_figure(item, old, new, texts=texts) or changed
    return changed
