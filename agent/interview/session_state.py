"""A session's state, rebuilt from its events: the conversation, the map and what a person decided.

Everything here is a pure function of the event list, so resuming a session, replaying it and the
live app all see the same state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

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
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_LIST_FIELDS, ValueMap

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
    stage_of_vep = {v.id: v.stage_id for v in value_map.veps}
    vep_of_threshold = {t.id: t.vep_id for t in value_map.thresholds}
    point = edited.element_id
    point = vep_of_threshold.get(point, point)
    point = stage_of_vep.get(point, point)  # the stage this element sits at (or the element itself)
    chain = {point} | {v for v, s in stage_of_vep.items() if s == point}
    chain |= {t for t, v in vep_of_threshold.items() if v in chain}
    followers: list[ElementChange] = []
    for collection in _NAMED_CHAIN:
        for item in getattr(value_map, collection):
            if item.id in chain and item.id != edited.element_id and item.name.casefold() == old.casefold():
                followers.append(ElementChange.model_validate(
                    {"collection": collection, "element_id": item.id,
                     "element": item.model_copy(update={"name": new})}))
    return followers


_NAMED_CHAIN = ("stages", "veps", "thresholds")


def _reviewed(item: Element, review: ReviewEvent) -> Element:
    if item.id != review.element_id:
        return item
    provenance = item.provenance.model_copy(update={"review": review.review, "person": review.person})
    return item.model_copy(update={"provenance": provenance})


# Elements that cannot exist without the one they point to (a threshold without its VEP, ...).
_REQUIRED_REFERENCE = {"veps": "stage_id", "resistances": "vep_id", "thresholds": "vep_id",
                       "exchanges": "threshold_id"}


def remove_element(value_map: ValueMap, element_id: str) -> ValueMap:
    """Remove an element, what cannot stand without it, and every reference to them."""
    gone = {element_id}
    data = {name: list(getattr(value_map, name)) for name in ELEMENT_COLLECTIONS}
    while True:
        before = len(gone)
        for name, field_name in _REQUIRED_REFERENCE.items():
            gone.update(item.id for item in data[name] if getattr(item, field_name) in gone)
        if len(gone) == before:
            break
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
    data["duplications"] = [d for d in data["duplications"] if d.proposition_ids]  # type: ignore[attr-defined]
    return ValueMap.model_validate({**value_map.model_dump(include={"schema_version", "title", "description",
                                                                    "sources"}), **data})
