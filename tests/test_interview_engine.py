"""The interview engine without any UI: plan, ask, answer, patch, check, review, resume."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.interview.engine import InterviewEngine
from agent.interview.session_log import read_session
from schemas import Review
from schemas.interview import AnswerEvent, PatchEvent, ProbeKind, QuestionEvent


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=30)
        return self.now


async def collect(engine: InterviewEngine) -> tuple[QuestionEvent, str]:
    probe = engine.plan_next()
    words = "".join([piece async for piece in engine.writer.stream(probe, engine.state)])
    event, _issues = engine.ask(probe, words)
    return event, words


def start(tmp_path: Path, minutes: float | None = None) -> InterviewEngine:
    return InterviewEngine.start(tmp_path, stakeholder="Maria", role="Head of Growth", minutes=minutes, clock=Clock())


def test_an_offline_interview_starts_with_the_first_core_question(tmp_path: Path) -> None:
    engine = start(tmp_path)
    question, _ = asyncio.run(collect(engine))
    assert question.probe.kind is ProbeKind.CORE
    assert question.worded_by == "question bank"
    assert engine.state.pending_question == question


def test_each_answer_is_on_disk_before_extraction_and_then_patches_the_map(tmp_path: Path) -> None:
    engine = start(tmp_path)
    asyncio.run(collect(engine))
    engine.answer("New customers have to upload a hundred invoices before they see any result, and many stop there.")
    events, _ = read_session(engine.log.path)
    assert isinstance(events[-1], AnswerEvent)  # recorded before any extraction ran
    patch = engine.extract_last_answer()
    assert patch.changes
    assert engine.state.value_map.veps
    assert all(q.verified for e in engine.state.value_map.elements() for q in e.evidence)
    assert isinstance(read_session(engine.log.path)[0][-1], PatchEvent)
    assert engine.report.findings  # the checks ran on the new map


def test_saying_the_same_thing_twice_adds_evidence_not_a_second_element(tmp_path: Path) -> None:
    engine = start(tmp_path)
    answer = "Customers have to upload a hundred invoices before they see any result."
    for _ in range(2):
        asyncio.run(collect(engine))
        engine.answer(answer)
        engine.extract_last_answer()
    veps = engine.state.value_map.veps
    assert len(veps) == 1 and len(veps[0].evidence) == 2


def test_reviews_are_logged_and_resume_restores_everything(tmp_path: Path) -> None:
    engine = start(tmp_path)
    asyncio.run(collect(engine))
    engine.answer("Customers have to upload a hundred invoices before they see any result.")
    engine.extract_last_answer()
    vep = engine.state.value_map.veps[0]
    engine.review(vep.id, Review.CONFIRMED, person="Ana")
    asyncio.run(collect(engine))  # a question left unanswered when the app closed
    resumed = InterviewEngine.resume(engine.log.path)
    assert resumed.state.value_map == engine.state.value_map
    assert resumed.state.value_map.veps[0].provenance.confirmed
    assert resumed.state.pending_question == engine.state.pending_question


def test_an_empty_answer_is_refused(tmp_path: Path) -> None:
    engine = start(tmp_path)
    with pytest.raises(ValueError, match="empty answer"):
        engine.answer("   ")


def test_a_question_that_fails_the_lint_falls_back_to_the_bank(tmp_path: Path) -> None:
    engine = start(tmp_path)
    probe = engine.plan_next()
    event, issues = engine.ask(probe, "Great answer! Don't you think onboarding is too slow?")
    assert issues and event.text == probe.fallback_question and event.worded_by == "question bank"


def test_past_the_time_budget_the_planner_closes(tmp_path: Path) -> None:
    engine = start(tmp_path, minutes=1)
    engine.clock.now += timedelta(minutes=5)  # type: ignore[attr-defined]
    assert engine.plan_next().kind is ProbeKind.CLOSE


def test_inside_an_engagement_the_interviewer_quotes_what_another_source_said(tmp_path: Path) -> None:
    from agent.interview.engagement_context import EngagementContext, OtherVoice
    from agent.interview.planning.question_lint import lint_question

    asked: list[str] = []

    def others(query: str) -> list[OtherVoice]:
        asked.append(query)
        return [OtherVoice(source_id="sales-call", speaker="Sam", role="Head of Sales",
                           text="Onboarding is a two-day setup for every customer. Then they fly.")]

    engine = InterviewEngine.start(tmp_path, stakeholder="Maria", clock=Clock(),
                                   context=EngagementContext(others_said=others))
    first = engine.plan_next()
    assert "Sam" not in first.fallback_question  # their own version first
    asyncio.run(collect(engine))
    engine.answer("Customers have to upload a hundred invoices before they see any result.")
    engine.extract_last_answer()
    probe = engine.plan_next()
    assert probe.fallback_question == ("In sales-call, Sam (Head of Sales) said: \u201cOnboarding is a two-day setup "
                                       "for every customer.\u201d How does that match what you see?")
    assert lint_question(probe.fallback_question, session_text=engine.state.transcript().text) == []
    assert asked


def test_inside_an_engagement_the_checks_see_the_engagement_map(tmp_path: Path) -> None:
    from agent.interview.engagement_context import EngagementContext
    from tests.map_builders import build, healthy_map_data

    engagement = build(healthy_map_data())
    engine = InterviewEngine.start(tmp_path, stakeholder="Maria", clock=Clock(),
                                   context=EngagementContext(engagement_map=engagement))
    assert engine.report.summary.elements == engagement.element_count()


def test_only_relevant_statements_from_another_source_are_quoted() -> None:
    from agent.interview.engagement_context import OtherVoice, cross_reference, quotable
    from schemas.interview import Probe

    probe = Probe(kind=ProbeKind.FOLLOW_UP, intent="What do customers give at the trial?", fallback_question="What?")
    fragment = OtherVoice("meeting", "User Interface", None, "A pointer ? Right. So what do we do?")
    off_topic = OtherVoice("sales-call", "Sam", None, "The office moved to a bigger floor last spring.", 0.12)
    on_topic = OtherVoice("sales-call", "Sam", None, "Yes? The trial asks for every old invoice up front.", 0.61)
    assert quotable(fragment.text) is None
    assert cross_reference(probe, [fragment, off_topic], "this-session") is None
    crossed = cross_reference(probe, [fragment, off_topic, on_topic], "this-session")
    assert crossed is not None and "\u201cThe trial asks for every old invoice up front.\u201d How" in \
        crossed.fallback_question


def test_a_broken_evidence_store_only_loses_the_cross_references() -> None:
    from agent.interview.engagement_context import BackgroundVoices

    def broken() -> Any:
        raise RuntimeError("chroma folder damaged")

    voices = BackgroundVoices(broken)
    assert voices.wait(5) is False
    assert voices("anything") == [] and voices.failure == "chroma folder damaged"


def test_in_a_workspace_the_interview_quotes_a_source_from_the_evidence_store(tmp_path: Path) -> None:
    import shutil

    from agent.evidence_store import EvidenceStore
    from agent.interview.engagement_context import workspace_context
    from agent.semantics import embedder_from_settings
    from agent.sources import read_transcript
    from agent.storage import Workspace

    workspace = Workspace.init(tmp_path / "acme")
    stored = workspace.folder("sources") / "legal-interview.md"
    shutil.copy(Path(__file__).parents[1] / "transcripts" / "legal-platform" / "interview.md", stored)
    store = EvidenceStore.open(workspace.root, embedder=embedder_from_settings("minilm"))
    store.add_transcript(read_transcript(stored, source_id="legal-interview", interviewers=["Consultant"]),
                         source_id="legal-interview", content_hash="h1")
    context = workspace_context(workspace.root, None, "minilm")
    assert context.others_said is not None and context.others_said.wait(60)  # type: ignore[attr-defined]
    engine = InterviewEngine.start(workspace.folder("sessions"), stakeholder="Maria", clock=Clock(), context=context)
    questions = []
    for answer in ("Customers have to mark the lawyers they want before anything else happens.",
                   "Many stop when no lawyer answers them within a day.",
                   "Most of them never pay the subscription of forty-nine euros a month.",
                   "Their lawyers answer late because the firm has too few people to screen requests."):
        asyncio.run(collect(engine))
        engine.answer(answer)
        engine.extract_last_answer()
        questions.append(engine.plan_next().fallback_question)
    # The core questions are too general for any passage to be on topic; a finding's probe is specific.
    assert not questions[0].startswith("In legal-interview, ")
    crossed = [q for q in questions if q.startswith("In legal-interview, ")]
    assert crossed, "\n".join(questions)
    quoted = crossed[0].split("\u201c")[1].split("\u201d")[0].removesuffix(" \u2026")
    assert quoted in stored.read_text(encoding="utf-8")  # verbatim


def test_the_banks_own_wording_is_kept_without_blaming_a_model(tmp_path: Path) -> None:
    from agent.interview.wording import settle_question
    from schemas.interview import Probe

    engine = start(tmp_path)
    bank = "What happens first? And who decides?"  # a bank question the lint would call double-barrelled
    probe = Probe(kind=ProbeKind.FOLLOW_UP, intent="x", fallback_question=bank)
    assert settle_question(bank, probe, engine.state) == (bank, [])
    kept, issues = settle_question("Why do customers hate the trial? And what else?", probe, engine.state)
    assert kept == bank and issues  # a writer's words that fail fall back to the bank, with the reasons
