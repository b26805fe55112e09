"""The interview engine: plan, ask, record, extract, check, review; one session file throughout.

The app and `vsm replay` drive this; it never imports Textual. Its one rule about order: an event is
appended to the session file (and flushed) before the state changes, so what is on screen is always
on disk first.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from agent.checks import check_map
from agent.checks.divergence import TextEmbedder
from agent.extraction.offline import OFFLINE_EXTRACTOR_VERSION, extract_offline
from agent.interview.engagement_context import MIN_RELEVANCE, EngagementContext, cross_reference
from agent.interview.live_extraction import DraftExtractor, answer_patch
from agent.interview.planning import coverage_of
from agent.interview.planning.contradictions import compare
from agent.interview.planning.memory import sentences
from agent.interview.planning.planner import Plan, plan_next
from agent.interview.planning.question_bank import fill, load_question_bank, quoted
from agent.interview.planning.question_lint import QuestionIssue
from agent.interview.session_files import write_session_outputs, write_summary
from agent.interview.session_log import SessionLog, read_session
from agent.interview.session_state import SessionState
from agent.interview.session_summary import SessionSummary, summarise, summary_markdown
from agent.interview.wording import BankWriter, QuestionWriter, settle_question
from schemas.elements import Perspective
from schemas.engagement import MergeDecision, MergeProposal
from schemas.evidence import ProposedBy, Provenance, Review
from schemas.findings import CheckReport
from schemas.interview import (
    AnswerEvent,
    CorrectionEvent,
    CoverageBoard,
    ElementChange,
    MetaEvent,
    PatchEvent,
    Probe,
    ProbeKind,
    ProposedCorrection,
    QuestionEvent,
    ReviewEvent,
    SessionEvent,
)
from schemas.value_map import ValueMap

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AnswerExtraction:
    """How answers become map patches: which extractor, and the provenance its elements carry."""

    extract: DraftExtractor
    name: str
    provenance: Provenance

    @classmethod
    def offline(cls) -> AnswerExtraction:
        return cls(extract_offline, f"offline rules ({OFFLINE_EXTRACTOR_VERSION})",
                   Provenance(proposed_by=ProposedBy.OFFLINE_EXTRACTOR, prompt=OFFLINE_EXTRACTOR_VERSION))


def new_session_id(stakeholder: str, clock: Clock = _now) -> str:
    slug = "-".join("".join(c if c.isalnum() else " " for c in stakeholder.casefold()).split())[:24] or "session"
    return f"{clock().strftime('%Y%m%d-%H%M')}-{slug}-{secrets.token_hex(2)}"


class InterviewEngine:
    def __init__(
        self,
        log: SessionLog,
        state: SessionState,
        *,
        extraction: AnswerExtraction | None = None,
        writer: QuestionWriter | None = None,
        embedder: TextEmbedder | None = None,
        clock: Clock = _now,
        notes: list[str] | None = None,
        context: EngagementContext | None = None,
    ) -> None:
        self.log = log
        self.state = state
        self.extraction = extraction or AnswerExtraction.offline()
        self.writer = writer or BankWriter()
        self.embedder = embedder
        self.clock = clock
        self.notes = notes or []  # what reading the session file had to skip
        self.context = context or EngagementContext()
        self._cross_referenced: set[str] = set()
        self._plan: Plan | None = None  # the last plan: its skips are logged with the question asked
        self.report: CheckReport = self._check()

    @classmethod
    def start(
        cls,
        folder: Path,
        *,
        stakeholder: str,
        role: str | None = None,
        perspective: Perspective = Perspective.INTERNAL,
        minutes: float | None = None,
        interviewer: str = "Interviewer",
        extraction: AnswerExtraction | None = None,
        writer: QuestionWriter | None = None,
        embedder: TextEmbedder | None = None,
        clock: Clock = _now,
        context: EngagementContext | None = None,
    ) -> InterviewEngine:
        writer = writer or BankWriter()
        meta = MetaEvent(session_id=new_session_id(stakeholder, clock), stakeholder=stakeholder, role=role,
                         perspective=perspective, interviewer=interviewer, minutes=minutes, started=clock(),
                         model=None if writer.name == BankWriter.name else writer.name)
        log = SessionLog.create(folder, meta)
        return cls(log, SessionState.new(meta), extraction=extraction, writer=writer, embedder=embedder, clock=clock,
                   context=context)

    @classmethod
    def resume(
        cls,
        path: Path,
        *,
        extraction: AnswerExtraction | None = None,
        writer: QuestionWriter | None = None,
        embedder: TextEmbedder | None = None,
        clock: Clock = _now,
        context: EngagementContext | None = None,
    ) -> InterviewEngine:
        events, notes = read_session(path)
        return cls(SessionLog(path), SessionState.from_events(events), extraction=extraction, writer=writer,
                   embedder=embedder, clock=clock, notes=notes, context=context)

    # -- the conversation ------------------------------------------------------------------------------

    @property
    def elapsed_minutes(self) -> float:
        return (self.clock() - self.state.meta.started).total_seconds() / 60

    def plan_next(self) -> Probe:
        disagreeing = self._disagreeing_voice()
        if disagreeing is not None:
            self._plan = Plan(disagreeing)
            return disagreeing
        pending = self.state.pending_corrections
        plan = plan_next(self.state.value_map, self.report, self.state.history,
                         elapsed_minutes=self.elapsed_minutes, budget_minutes=self.state.meta.minutes,
                         held_ids=frozenset(c.element_id for c in pending),
                         corrections_said=frozenset(c.said for p in self.state.patches for c in p.corrections))
        probe = self._with_other_voices(plan.probe)
        self._plan = Plan(probe, plan.skipped)
        return probe

    def _with_other_voices(self, probe: Probe) -> Probe:
        """Once per subject, and only after the stakeholder has told their own version, bring in another's."""
        others = self.context.others_said
        if others is None or probe.kind not in (ProbeKind.CORE, ProbeKind.FOLLOW_UP) or not self.state.answers:
            return probe
        subject = f"{probe.step}:{','.join(probe.element_ids)}:{probe.finding_code}"
        if subject in self._cross_referenced:
            return probe
        crossed = cross_reference(probe, others(probe.intent), self.state.meta.session_id)
        if crossed is None:
            return probe
        self._cross_referenced.add(subject)
        return crossed

    def _disagreeing_voice(self) -> Probe | None:
        """The last answer against other stakeholders' verified words in the engagement: a disagreement about
        the same thing becomes a neutral probe quoting both, once per pair."""
        others = self.context.others_said
        history = self.state.history
        if others is None or not history or not isinstance(history[-1], AnswerEvent):
            return None
        answer = history[-1].text
        said = {c.said for p in self.state.patches for c in p.corrections}
        asked = {q.probe.fallback_question for q in self.state.questions if q.probe.kind is ProbeKind.CONTRADICTION}
        bank = load_question_bank()
        for voice in others(answer):
            if voice.source_id == self.state.meta.session_id or voice.relevance < MIN_RELEVANCE:
                continue
            for theirs in sentences(voice.text):
                for mine in sentences(answer):
                    if mine in said or compare(theirs, mine) is None:
                        continue
                    who = (voice.speaker or "Someone") + (f" ({voice.role})" if voice.role else "")
                    question = fill(bank.contradiction_other.question, source=voice.source_id, who=who,
                                    earlier=quoted(theirs.rstrip(".!;,: ")), later=quoted(mine.rstrip(".!;,: ")))
                    if question in asked:
                        continue
                    return Probe(kind=ProbeKind.CONTRADICTION,
                                 intent=f"{bank.contradiction_other.intent} Other source: {voice.source_id}.",
                                 fallback_question=question, finding_code=f"contradiction:{voice.source_id}",
                                 priority=1)
        return None

    def ask(self, probe: Probe, streamed_text: str, *, worded_by: str | None = None) -> tuple[QuestionEvent, list[QuestionIssue]]:
        """Keep a question (the streamed words, or the bank's if they fail the lint) and log it."""
        text, issues = settle_question(streamed_text, probe, self.state)
        writer = (worded_by or self.writer.name) if not issues and text != probe.fallback_question else BankWriter.name
        skipped = list(self._plan.skipped) if self._plan is not None and self._plan.probe == probe else []
        event = QuestionEvent(at=self.clock(), probe=probe, text=text, worded_by=writer, skipped=skipped)
        self._record(event)
        return event, issues

    def answer(self, text: str) -> AnswerEvent:
        """Log the answer first; extraction comes after and may fail without losing it."""
        if not text.strip():
            raise ValueError("an empty answer is not recorded")
        event = AnswerEvent(at=self.clock(), text=text)
        self._record(event)
        return event

    def extract_last_answer(self) -> PatchEvent:
        patch = answer_patch(self.state, self.extraction.extract, provenance=self.extraction.provenance,
                             extractor=self.extraction.name)
        self._record(patch)
        return patch

    def review(self, element_id: str, review: Review, *, edited: ElementChange | None = None,
               person: str | None = None) -> ReviewEvent:
        event = ReviewEvent(at=self.clock(), element_id=element_id, review=review, edited=edited, person=person)
        self._record(event)
        return event

    @property
    def pending_corrections(self) -> list[ProposedCorrection]:
        return self.state.pending_corrections

    def decide_correction(self, correction_id: str, *, accepted: bool, person: str | None = None) -> CorrectionEvent:
        """A person's decision on a correction the stakeholder made; accepted, the map changes."""
        if self.state.correction(correction_id) is None:
            raise ValueError(f"no correction {correction_id!r} in this session")
        event = CorrectionEvent(at=self.clock(), correction_id=correction_id, accepted=accepted, person=person)
        self._record(event)
        return event

    def coverage(self) -> CoverageBoard:
        return coverage_of(self.state.value_map)

    def save_outputs(self) -> tuple[Path, Path]:
        """Write the session's map, transcript and summary beside its log (for `vsm check`, `vsm report`,
        `vsm map`, and the next session)."""
        paths = write_session_outputs(self.log.path, self.state)
        write_summary(self.log.path, summary_markdown(self.state, self.summary()))
        return paths

    def summary(self) -> SessionSummary:
        """What stayed uncovered and the questions for next time, with the session's corrections and probes."""
        return summarise(self.state, self.report)

    # -- the engagement around the session ---------------------------------------------------------------

    def pending_merges(self) -> list[MergeProposal]:
        """The engagement's uncertain merges awaiting a person (none outside a workspace)."""
        return self.context.merges.pending() if self.context.merges is not None else []

    def decide_merge(self, proposal: MergeProposal, decision: MergeDecision) -> None:
        """Keep a person's merge decision in the workspace (then `rebuild_engagement_map`)."""
        if self.context.merges is None:
            raise ValueError("merge decisions need a workspace: this interview is not inside one")
        self.context.merges.record(proposal, decision)

    def rebuild_engagement_map(self) -> ValueMap:
        """The engagement map synthesised with every decision so far (slow: off the UI thread).

        The engine's own state is untouched; the caller hands the map to `use_engagement_map`.
        """
        if self.context.merges is None:
            raise ValueError("the engagement map needs a workspace: this interview is not inside one")
        return self.context.merges.rebuild(self.embedder)

    def use_engagement_map(self, engagement_map: ValueMap) -> None:
        """Check the session against a new engagement map from now on."""
        self.context = replace(self.context, engagement_map=engagement_map)
        self.report = self._check()

    def check_with(self, embedder: TextEmbedder) -> tuple[ValueMap, CheckReport]:
        """The checks with another embedder on the map as it is now (for a thread: touches no state)."""
        value_map = self.state.value_map
        return value_map, check_map(self.context.map_to_check(value_map), embedder=embedder)

    def _record(self, event: SessionEvent) -> None:
        self.log.append(event)
        self.state.apply(event)
        if isinstance(event, PatchEvent | ReviewEvent | CorrectionEvent):
            self.report = self._check()

    def _check(self) -> CheckReport:
        return check_map(self.context.map_to_check(self.state.value_map), embedder=self.embedder)
