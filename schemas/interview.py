"""An interview session: what was asked, what was answered, and how each answer changed the map.

A session is stored as an append-only log of `SessionEvent`s (one JSON line each, flushed before
anything else happens), so a crash loses nothing that was on screen and `vsm replay` can re-run the
same answers through another model or prompt.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.elements import (
    Duplication,
    GiveGetExchange,
    Loss,
    Perspective,
    Resistance,
    Stage,
    Threshold,
    ValueEvocationPoint,
    ValueProposition,
)
from schemas.evidence import Quote, Review
from schemas.findings import CoreQuestion
from schemas.value_map import COLLECTIONS

SESSION_VERSION = 1


class DiagnosticStep(StrEnum):
    """FRAMEWORK.md's seven diagnostic steps, plus the final threshold: the interview's agenda."""

    VEPS = "veps"
    RESISTANCE = "resistance"
    VALUE_EVOKED = "value_evoked"
    THRESHOLDS = "thresholds"
    EXCHANGES = "exchanges"
    DUPLICATION = "duplication"
    LOSS = "loss"
    FINAL_THRESHOLD = "final_threshold"

    @property
    def title(self) -> str:  # type: ignore[override]  # shadows str.title on purpose: the step's heading
        return {
            "veps": "1 Where the customer must act",
            "resistance": "2 Why: the resistance",
            "value_evoked": "3 The value evoked",
            "thresholds": "4 Thresholds",
            "exchanges": "5 Give-get exchanges",
            "duplication": "6 Duplication",
            "loss": "7 Loss",
            "final_threshold": "Final threshold",
        }[self.value]


class ProbeKind(StrEnum):
    CORE = "core"  # one of the three core questions
    FOLLOW_UP = "follow_up"  # a gap in the map, a check's next question
    LADDER = "ladder"  # attribute -> consequence -> why it matters -> an example
    EXAMPLE = "example"  # ask for an example or a number
    SUMMARY = "summary"  # say back what was understood and ask to confirm
    CLOSE = "close"
    CONTRADICTION = "contradiction"  # two answers disagree about one thing: quote both, ask when each holds
    REDIRECT = "redirect"  # the last answer left the question: bring the conversation back to it


class Probe(BaseModel):
    """What the planner wants to learn next, before anyone words it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ProbeKind
    step: DiagnosticStep | None = None
    intent: str  # what we want to find out, in the planner's words
    fallback_question: str  # a good question from the bank, used as is offline
    element_ids: list[str] = Field(default_factory=list)
    finding_code: str | None = None
    priority: int = 0  # lower is asked first; low-priority probes are dropped when time runs out


class MetaEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["meta"] = "meta"
    version: int = SESSION_VERSION
    session_id: str
    stakeholder: str
    role: str | None = None
    perspective: Perspective = Perspective.INTERNAL  # the stakeholder's side: their answers' voice in the checks
    interviewer: str = "Interviewer"
    minutes: float | None = None
    started: datetime
    model: str | None = None  # None: offline question bank and extractor
    prompt_versions: dict[str, str] = Field(default_factory=dict)


class SkippedProbe(BaseModel):
    """A question the planner did not ask, because an earlier answer already answered it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intent: str  # the memory's intent key, e.g. "value", "exchange"
    element_ids: list[str] = Field(default_factory=list)
    question: str  # what would have been asked
    answered_by: str  # the earlier answer's words that answer it (verbatim)
    answer_index: int


class QuestionEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["question"] = "question"
    at: datetime
    probe: Probe
    text: str
    worded_by: str  # a model name, or "question bank"
    skipped: list[SkippedProbe] = Field(default_factory=list)  # passed over before this one, and why


class AnswerEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["answer"] = "answer"
    at: datetime
    text: str


PatchElement = (
    Stage | ValueEvocationPoint | Resistance | Threshold | GiveGetExchange | ValueProposition | Duplication | Loss
)


class ElementChange(BaseModel):
    """One element added, or new evidence for one the map already has."""

    model_config = ConfigDict(extra="forbid")

    collection: Literal["stages", "veps", "resistances", "thresholds", "exchanges", "propositions",
                        "duplications", "losses"]
    element: PatchElement | None = None  # added (or replaced by a person's edit)
    element_id: str
    new_evidence: list[Quote] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _element_of_its_collection(cls, data: Any) -> Any:
        # Several element models share field names; the collection says which one this is.
        if isinstance(data, dict) and isinstance(data.get("element"), dict):
            model = COLLECTIONS.get(str(data.get("collection")))
            if model is not None:
                data = {**data, "element": model.model_validate(data["element"])}
        return data


class CorrectionKind(StrEnum):
    REMOVE = "remove"  # "that's not a loss": the element should not be in the map
    RETYPE = "retype"  # "it isn't required": a threshold that is only a point where customers act
    EDIT = "edit"  # "the price is 12, not 15": one field says something else


class ProposedCorrection(BaseModel):
    """An answer that corrects the map, as a change waiting for a person to accept or reject it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: CorrectionKind
    collection: Literal["stages", "veps", "resistances", "thresholds", "exchanges", "propositions",
                        "duplications", "losses"]
    element_id: str
    element_name: str
    said: str  # the answer's words that make the correction (verbatim)
    answer_index: int
    description: str  # the change in words: "remove the loss “Discount”"
    edited: ElementChange | None = None  # EDIT and RETYPE: the element as it would be afterwards


class MergedElement(BaseModel):
    """A near-duplicate told in an answer, folded into an element the map already had (its quotes kept)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    collection: str
    into_id: str
    into_name: str
    told_as: str  # the name the answer's element had


class PatchEvent(BaseModel):
    """How one answer changed the map: never a regeneration, always these changes."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["patch"] = "patch"
    at: datetime
    answer_index: int
    extractor: str
    changes: list[ElementChange]
    corrections: list[ProposedCorrection] = Field(default_factory=list)
    merged: list[MergedElement] = Field(default_factory=list)


class CorrectionEvent(BaseModel):
    """A person's decision on a proposed correction; accepted, its change is applied to the map."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["correction"] = "correction"
    at: datetime
    correction_id: str
    accepted: bool
    person: str | None = None


class ReviewEvent(BaseModel):
    """A person accepted, edited or rejected a proposed element."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["review"] = "review"
    at: datetime
    element_id: str
    review: Review
    edited: ElementChange | None = None
    person: str | None = None


SessionEvent = Annotated[
    MetaEvent | QuestionEvent | AnswerEvent | PatchEvent | ReviewEvent | CorrectionEvent, Field(discriminator="type")
]


class SlotCoverage(BaseModel):
    """One thing a diagnostic step needs from the map, and how much of it the map holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slot: str  # a stable key, e.g. "resistance_classified"
    needs: str  # what the step needs, in words
    filled: float = Field(ge=0, le=1)
    missing_ids: list[str] = Field(default_factory=list)  # the elements that lack it: what to ask about


class StepCoverage(BaseModel):
    """How far the map answers one diagnostic step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    step: DiagnosticStep
    slots: list[SlotCoverage]
    filled: float = Field(ge=0, le=1)  # the mean of the slots

    @property
    def covered(self) -> bool:
        return all(slot.filled >= 1 for slot in self.slots)


class CoreCoverage(BaseModel):
    """Whether the map already answers one of the three core questions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: CoreQuestion
    steps: list[DiagnosticStep]  # the diagnostic steps that answer it
    covered: bool


class CoverageBoard(BaseModel):
    """What the map holds per diagnostic step and core question: the interview's to-do list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: list[StepCoverage]
    core: list[CoreCoverage]

    def of(self, step: DiagnosticStep) -> StepCoverage:
        return next(s for s in self.steps if s.step is step)

    def covers(self, question: CoreQuestion) -> bool:
        return next(c.covered for c in self.core if c.question is question)

    def uncovered_steps(self) -> list[DiagnosticStep]:
        return [s.step for s in self.steps if not s.covered]


class QuestionIssueKind(StrEnum):
    LEADING = "leading"  # "don't you think ...": suggests the answer
    DOUBLE_BARRELLED = "double_barrelled"  # two questions in one
    PRESUMPTIVE = "presumptive"  # presupposes a judgment: "why is it so slow?"
    PRAISE = "praise"  # "great answer": steers what the stakeholder says next
    MISQUOTE = "misquote"  # "you said ..." with words the stakeholder never said


class QuestionIssue(BaseModel):
    """One reason a question is not neutral, open and single."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: QuestionIssueKind
    message: str
