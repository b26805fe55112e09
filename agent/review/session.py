"""A review session: the map, its transcripts, the findings, and every decision saved as it is made.

After each decision the map is written atomically (a killed process loses at most the decision being
typed) and the decision is appended to `<map>.review.jsonl` beside it: who, when, what. Undo and redo
work within the session and are decisions too. `readonly` browses: nothing is written, nothing decided.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agent.checks import check_map
from agent.checks.divergence import TextEmbedder
from agent.errors import VsmError
from agent.review.decisions import Decision, DecisionKind
from agent.review.editing import ID_PREFIX, ReviewRefused, apply_decision, locate, new_id
from agent.review.selection import quote_from_selection, quote_is_grounded
from agent.review.sources import MapTranscripts, load_transcripts
from agent.storage.atomic import write_text_atomic
from agent.storage.lock import WorkspaceLock
from agent.storage.map_files import load_map, map_to_json
from schemas.elements import Element
from schemas.evidence import Quote, Review
from schemas.findings import CheckReport
from schemas.transcript import Transcript
from schemas.value_map import ELEMENT_COLLECTIONS, ValueMap


def decision_log_path(map_path: Path) -> Path:
    return map_path.with_name(map_path.name.removesuffix(".json") + ".review.jsonl")


@dataclass(frozen=True)
class Span:
    """Where one quote of one element sits in a transcript: what the transcript pane highlights."""

    start: int
    end: int
    collection: str
    element_id: str


@dataclass
class ReviewSession:
    path: Path
    value_map: ValueMap
    transcripts: MapTranscripts
    person: str
    readonly: bool = False
    workspace_root: Path | None = None
    embedder: TextEmbedder | None = None
    report: CheckReport = field(init=False)
    decisions: list[Decision] = field(default_factory=list)  # this session's, in order
    _undo: list[tuple[ValueMap, Decision]] = field(default_factory=list)
    _redo: list[Decision] = field(default_factory=list)
    _before: ValueMap = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.report = check_map(self.value_map, embedder=self.embedder)

    # -- reading ------------------------------------------------------------------------------------

    def transcript(self, source_id: str) -> Transcript | None:
        return self.transcripts.by_source.get(source_id)

    def element(self, element_id: str) -> tuple[str, Element]:
        return locate(self.value_map, element_id)

    def spans(self, source_id: str) -> list[Span]:
        """Every quote of every element in one source, in text order."""
        found = [Span(q.start, q.end, collection, element.id)
                 for collection in ELEMENT_COLLECTIONS for element in getattr(self.value_map, collection)
                 for q in element.verified_evidence
                 if q.source_id == source_id and q.start is not None and q.end is not None]
        return sorted(found, key=lambda s: (s.start, s.end))

    def unreviewed(self) -> Iterator[Element]:
        return (e for e in self.value_map.elements() if e.provenance.review is Review.PROPOSED)

    def counts(self) -> tuple[int, int]:
        """Elements a person stands behind, and all elements."""
        elements = list(self.value_map.elements())
        return sum(1 for e in elements if e.provenance.confirmed), len(elements)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # -- deciding -----------------------------------------------------------------------------------

    def quote(self, source_id: str, start: int, end: int) -> Quote:
        transcript = self.transcript(source_id)
        if transcript is None:
            raise ReviewRefused(f"the transcript of {source_id!r} is not loaded")
        return quote_from_selection(transcript, start, end)

    def decide(self, decision: Decision) -> Decision:
        """Apply, check, save and log one decision; `ReviewRefused` (nothing changed) when it cannot be."""
        if self.readonly:
            raise ReviewRefused("this review is read-only (--readonly): nothing can be changed")
        decision = decision.model_copy(update={"person": decision.person or self.person})
        if decision.kind is DecisionKind.CREATE and decision.element_id is None and decision.collection in ID_PREFIX:
            # the id is part of the decision, so redo makes the same element and the log names it
            name = " ".join((decision.name or (decision.quote.text if decision.quote else "")).split())
            decision = decision.model_copy(update={"element_id": new_id(self.value_map, decision.collection, name)})
        self._check_entry_quotes(decision)
        after, summary = apply_decision(self.value_map, decision)
        decision = decision.model_copy(update={"summary": summary})
        self._commit(after, decision)
        self._undo.append((self._before, decision))
        self._redo.clear()
        return decision

    def _check_entry_quotes(self, decision: Decision) -> None:
        """An entry's quotes are the element's own, or words of a loaded transcript at their span: never typed."""
        if not decision.quotes or decision.element_id is None:
            return
        _, element = self.element(decision.element_id)
        known = {(q.source_id, q.start, q.end, q.text) for q in element.verified_evidence}
        for listed in getattr(element, decision.name or "", None) or []:
            known |= {(q.source_id, q.start, q.end, q.text) for q in getattr(listed, "evidence", [])}
        for quote in decision.quotes:
            transcript = self.transcript(quote.source_id)
            if (quote.source_id, quote.start, quote.end, quote.text) in known:
                continue
            if transcript is None or not quote_is_grounded(quote, transcript):
                raise ReviewRefused(f"{quote.text[:40]!r} is not the words of a loaded transcript at that place: "
                                    "select the passage in the transcript, or pick one of the element's quotes")

    def undo(self) -> Decision:
        if not self._undo:
            raise ReviewRefused("nothing to undo in this session")
        if self.readonly:
            raise ReviewRefused("this review is read-only")
        before, undone = self._undo.pop()
        decision = Decision(kind=DecisionKind.UNDO, element_id=undone.element_id, person=self.person,
                            summary=f"undid: {undone.summary}")
        self._commit(before, decision)
        self._redo.append(undone)
        return decision

    def redo(self) -> Decision:
        if not self._redo:
            raise ReviewRefused("nothing to redo")
        again = self._redo.pop()
        after, summary = apply_decision(self.value_map, again)
        decision = Decision(kind=DecisionKind.REDO, element_id=again.element_id, person=self.person,
                            summary=f"redid: {summary}")
        self._commit(after, decision)
        self._undo.append((self._before, again))
        return decision

    def _commit(self, after: ValueMap, decision: Decision) -> None:
        self._before = self.value_map
        self.save(after)  # first: a decision that is not on disk did not happen
        self.value_map = after
        self.decisions.append(decision)
        self._log(decision)
        self.report = check_map(after, embedder=self.embedder)

    # -- disk -----------------------------------------------------------------------------------------

    def save(self, value_map: ValueMap) -> None:
        text = map_to_json(value_map)
        try:
            if self.workspace_root is not None:
                with WorkspaceLock(self.workspace_root):
                    write_text_atomic(self.path, text)
            else:
                write_text_atomic(self.path, text)
        except OSError as err:
            raise ReviewRefused(f"{self.path}: the map could not be saved ({err.strerror}); the decision was not "
                                "made") from None

    def _log(self, decision: Decision) -> None:
        path = decision_log_path(self.path)
        try:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(decision.model_dump_json(exclude_none=True) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as err:
            raise ReviewRefused(f"{path}: the map is saved, but the decision could not be logged ({err.strerror})") from None


def open_review(map_path: Path, *, person: str, readonly: bool = False, workspace_root: Path | None = None,
                search: tuple[Path, ...] = (), embedder: TextEmbedder | None = None) -> ReviewSession:
    """The session for a map file; a bad map is one `VsmError` line."""
    value_map = load_map(map_path)
    transcripts = load_transcripts(value_map, map_path, workspace_root=workspace_root, search=search)
    if not value_map.sources and not value_map.element_count():
        raise VsmError(f"{map_path}: the map is empty and names no transcript; make one with `vsm map FILES`")
    return ReviewSession(path=map_path, value_map=value_map, transcripts=transcripts, person=person,
                         readonly=readonly, workspace_root=workspace_root, embedder=embedder)
