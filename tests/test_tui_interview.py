"""The interview app through Textual's Pilot, as an interviewer meets it: offline, no model, no network."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from langchain_core.messages import BaseMessage
from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from agent.cli import build_parser
from agent.cli.interview_command import open_engine
from agent.extraction.offline import extract_offline
from agent.interview.session_files import session_outputs
from agent.interview.session_log import read_session
from agent.semantics.remembering import RememberingEmbedder
from agent.storage import load_map
from agent.tui.actions import ACTIONS
from agent.tui.app import InterviewApp, Phase
from agent.tui.chat import AnswerBox, AnswerMessage, ChatLog, NoteMessage, QuestionMessage
from agent.tui.findings import FindingsView
from agent.tui.help import HelpScreen
from agent.tui.help.help_screen import help_table
from agent.tui.map_pane import EditElementScreen, MapList
from schemas.evidence import Review
from schemas.interview import AnswerEvent, ReviewEvent
from tests.test_tui_fakes import (
    ANSWER,
    MODEL_QUESTION,
    OFFLINE_MODE,
    SECOND_ANSWER,
    FailingOnceExtraction,
    FailingOnceLog,
    FailingOnceWriter,
    GatedExtraction,
    SlowWriter,
    event_types,
    new_engine,
    offline_extraction,
    resumed_engine,
)

pytestmark = pytest.mark.anyio  # anyio's pytest plugin runs the async tests, on asyncio

SIZE = (100, 30)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")


async def answer(pilot: Pilot[None], text: str) -> None:
    app = pilot.app
    assert isinstance(app, InterviewApp)
    await wait_for(pilot, lambda: app.phase is Phase.ASKED)
    app.query_one(AnswerBox).insert(text)
    await pilot.press("enter")


def questions_on_screen(app: InterviewApp) -> list[str]:
    return [q.markdown.source for q in app.query(QuestionMessage)]


def offline_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> argparse.Namespace:
    for name in ("VSM_LLM_MODEL", "VSM_LLM_BASE_URL", "VSM_LLM_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    return build_parser().parse_args(["interview", *argv])


async def test_offline_start_asks_the_first_question_and_says_it_is_offline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = offline_args(tmp_path, monkeypatch, "--stakeholder", "Maria", "--role", "Head of Growth")
    engine, mode = open_engine(args, tmp_path / "vsm-sessions")
    app = InterviewApp(engine, mode=mode)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        assert mode == OFFLINE_MODE
        assert app.sub_title.startswith("offline") and "Maria" in app.title
        question = engine.state.pending_question
        assert question is not None and question.worded_by == "question bank"
        assert questions_on_screen(app) == [question.text]
        assert event_types(engine.log.path) == ["meta", "question"]
        assert app.focused is app.query_one(AnswerBox)


async def test_the_answer_is_on_disk_before_extraction_finishes(tmp_path: Path) -> None:
    gated = GatedExtraction()
    engine = new_engine(tmp_path, extraction=offline_extraction(gated))
    app = InterviewApp(engine, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        await wait_for(pilot, gated.started.is_set)
        # extraction is still running on its thread: the answer is already in the file and on screen
        events, _ = read_session(engine.log.path)
        assert isinstance(events[-1], AnswerEvent) and events[-1].text == ANSWER
        assert app.phase is Phase.EXTRACTING
        assert app.query_one(AnswerBox).text == ""
        assert [a.content for a in app.query(AnswerMessage)] == [ANSWER]
        assert app.query_one(MapList).selected_id is None  # the map has not changed yet
        gated.gate.set()
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        assert event_types(engine.log.path) == ["meta", "question", "answer", "patch", "question"]
        map_ids = {option.id for option in app.query_one(MapList).options if option.id}
        assert {"st-customer-marking", "vep-customer-marking", "th-customer-marking"} <= map_ids
        findings = str(app.query_one(FindingsView).content)
        assert "missing-exchange" in findings and "Where does the system stop, and why?" in findings
        assert len(questions_on_screen(app)) == 2


async def test_enter_while_the_map_is_updating_keeps_the_text(tmp_path: Path) -> None:
    gated = GatedExtraction()
    engine = new_engine(tmp_path, extraction=offline_extraction(gated))
    app = InterviewApp(engine, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        await wait_for(pilot, gated.started.is_set)
        app.query_one(AnswerBox).insert("and one more thing")
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(AnswerBox).text == "and one more thing"
        assert event_types(engine.log.path).count("answer") == 1
        gated.gate.set()
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)


async def test_a_failed_write_keeps_the_answer_in_the_box(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    engine.log = FailingOnceLog(engine.log.path)
    app = InterviewApp(engine, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        engine.log.fail_next = True
        await answer(pilot, ANSWER)
        await pilot.pause()
        assert app.query_one(AnswerBox).text == ANSWER
        assert app.phase is Phase.ASKED
        assert "answer" not in event_types(engine.log.path)
        assert any("NOT recorded" in n.message for n in app._notifications)
        await pilot.press("enter")  # the disk is back: the same text goes through
        await wait_for(pilot, lambda: app.phase is Phase.ASKED and len(engine.state.answers) == 1)
        assert app.query_one(AnswerBox).text == ""


async def test_accept_edit_and_reject_are_review_events_in_the_file(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    app = InterviewApp(engine, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        await wait_for(pilot, lambda: app.phase is Phase.ASKED and bool(engine.state.answers)
                       and app.query_one(MapList).selected_id is not None)
        await pilot.press("f2")
        map_list = app.query_one(MapList)
        assert app.focused is map_list
        first = map_list.selected_id
        assert first == "st-customer-marking"

        await pilot.press("a")
        await pilot.pause()
        assert engine.state.value_map.stages[0].provenance.review is Review.CONFIRMED

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditElementScreen))
        app.screen.query_one("#edit-name", Input).value = "Mark lawyers to engage"
        app.screen.query_one("#edit-detail", Input).value = "Customers shortlist lawyers before booking."
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, EditElementScreen))
        stage = engine.state.value_map.stages[0]
        assert (stage.name, stage.provenance.review) == ("Mark lawyers to engage", Review.EDITED)
        assert map_list.selected_id == "st-customer-marking"

        await pilot.press("down")
        rejected = map_list.selected_id
        assert rejected is not None and rejected != first
        await pilot.press("r")
        await pilot.pause()
        assert rejected not in {e.id for e in engine.state.value_map.elements()}

        events, _ = read_session(engine.log.path)
        reviews = [e for e in events if isinstance(e, ReviewEvent)]
        assert [(r.element_id, r.review) for r in reviews] == [
            (first, Review.CONFIRMED), (first, Review.EDITED), (rejected, Review.REJECTED)]
        assert reviews[1].edited is not None and reviews[1].edited.element is not None
        assert reviews[1].edited.element.name == "Mark lawyers to engage"
        assert all(r.person == "Interviewer" for r in reviews)


async def test_escape_cancels_a_streaming_question_and_offers_the_bank(tmp_path: Path) -> None:
    writer = SlowWriter()
    engine = new_engine(tmp_path, writer=writer)
    app = InterviewApp(engine, mode="model slow-fake")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.WRITING and questions_on_screen(app) == ["So, "])
        await pilot.press("escape")  # while the first words are on screen
        await pilot.pause()
        assert app.phase is Phase.QUESTION_FAILED
        assert not app.query(QuestionMessage)  # the partial words are gone
        assert event_types(engine.log.path) == ["meta"]  # a cancelled question was never asked
        writer.release.set()  # the cancelled stream's late words must not appear
        await pilot.pause(0.1)
        assert not app.query(QuestionMessage)

        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        question = engine.state.pending_question
        assert question is not None and question.worded_by == "question bank"
        assert questions_on_screen(app) == [question.probe.fallback_question]


async def test_escape_then_retry_writes_the_question_again(tmp_path: Path) -> None:
    writer = SlowWriter()
    engine = new_engine(tmp_path, writer=writer)
    app = InterviewApp(engine, mode="model slow-fake")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.WRITING and bool(app.query(QuestionMessage)))
        await pilot.press("escape")
        await pilot.pause()
        writer.release.set()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        assert writer.calls == 2
        assert event_types(engine.log.path) == ["meta", "question"]


async def test_a_model_error_is_a_notification_with_a_retry(tmp_path: Path) -> None:
    writer = FailingOnceWriter()
    engine = new_engine(tmp_path, writer=writer)
    app = InterviewApp(engine, mode="model flaky-fake")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.QUESTION_FAILED)
        assert any("429 rate limit" in n.message and "Ctrl+R" in n.message for n in app._notifications)
        assert app.check_action("retry", ()) and app.check_action("use_bank_question", ())
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        question = engine.state.pending_question
        assert question is not None and question.worded_by == "flaky-fake"
        assert questions_on_screen(app) == [MODEL_QUESTION]


async def test_an_extraction_error_keeps_the_answer_and_retries(tmp_path: Path) -> None:
    extract = FailingOnceExtraction()
    engine = new_engine(tmp_path, extraction=offline_extraction(extract))
    app = InterviewApp(engine, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        await wait_for(pilot, lambda: app.phase is Phase.EXTRACTION_FAILED)
        assert event_types(engine.log.path) == ["meta", "question", "answer"]
        assert any("invalid JSON" in n.message for n in app._notifications)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        assert event_types(engine.log.path) == ["meta", "question", "answer", "patch", "question"]


async def test_resume_shows_the_pending_question_and_the_map(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    async with InterviewApp(engine, mode=OFFLINE_MODE).run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        await wait_for(pilot, lambda: len(engine.state.questions) == 2 and engine.state.pending_question is not None)
    pending = engine.state.pending_question
    assert pending is not None
    lines_before = engine.log.path.read_text().count("\n")

    resumed = resumed_engine(engine.log.path)
    app = InterviewApp(resumed, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        assert questions_on_screen(app)[-1] == pending.text
        assert [a.content for a in app.query(AnswerMessage)] == [ANSWER]
        assert any(str(n.content).startswith("Map: +1 stage") for n in app.query(NoteMessage))
        assert {"st-customer-marking", "th-customer-marking"} <= {o.id for o in app.query_one(MapList).options if o.id}
        assert engine.log.path.read_text().count("\n") == lines_before  # nothing asked twice


async def test_resume_after_a_crash_before_extraction_maps_the_last_answer(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    probe = engine.plan_next()
    engine.ask(probe, probe.fallback_question)
    engine.answer(ANSWER)  # ... and the process died here
    app = InterviewApp(resumed_engine(engine.log.path), mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        assert event_types(engine.log.path) == ["meta", "question", "answer", "patch", "question"]


async def test_help_lists_every_action_of_the_registry(tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    async with app.run_test(size=(100, 50)) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = _text_of(help_table())
        for action in ACTIONS:
            assert action.title in shown and action.key_label in shown, action.action
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


def _text_of(renderable: RenderableType) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_the_command_palette_offers_the_registry_actions(tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Save", "Help", "Accept", "Edit", "Reject", "Map"} <= titles
        assert "Retry" not in titles  # nothing failed: nothing to retry


async def test_save_confirms_the_events_on_disk_and_writes_the_map_and_transcript(tmp_path: Path) -> None:
    engine = new_engine(tmp_path, extraction=offline_extraction(extract_offline))
    app = InterviewApp(engine, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("5 events" in n.message and str(engine.log.path) in n.message for n in app._notifications)
    map_path, transcript_path = session_outputs(engine.log.path)
    assert load_map(map_path) == engine.state.value_map and engine.state.value_map.element_count()
    transcript = transcript_path.read_text(encoding="utf-8")
    assert f"Maria: {ANSWER}" in transcript
    quote = next(engine.state.value_map.elements()).verified_evidence[0]
    assert transcript[quote.start:quote.end] == quote.text  # the evidence's offsets point into this file


async def test_narrow_terminal_switches_between_chat_and_map(tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        chat, side = app.query_one("#chat-pane"), app.query_one("#side-pane")
        assert chat.display and not side.display
        await pilot.press("f2")
        await pilot.pause()
        assert side.display and not chat.display
        assert isinstance(app.focused, OptionList)
        await pilot.press("f2")
        await pilot.pause()
        assert chat.display and app.focused is app.query_one(AnswerBox)


async def test_wide_terminal_shows_chat_and_map_side_by_side(tmp_path: Path) -> None:
    app = InterviewApp(new_engine(tmp_path), mode=OFFLINE_MODE)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        assert app.query_one("#chat-pane").display and app.query_one("#side-pane").display
        assert app.query_one("#coverage-strip").display
        assert app.query_one(ChatLog).region.right <= app.query_one("#side-pane").region.x


async def test_with_a_model_questions_stream_from_it_and_answers_are_extracted_by_it(tmp_path: Path) -> None:
    from agent.interview.with_model import LazyModelWriter, SharedChatModel, model_extraction
    from agent.llm.settings import LLMSettings
    from tests.fake_models import ScriptedChatModel, draft_with_stage

    def reply(messages: Sequence[BaseMessage]) -> str:
        if "You are the interviewer" in messages[0].text:
            return MODEL_QUESTION
        return draft_with_stage("mark", "Mark lawyers", "mark which lawyers they want", "Maria").model_dump_json()

    settings = LLMSettings(model="scripted-fake", provider="openai")
    shared = SharedChatModel(settings)
    shared._model = ScriptedChatModel(answer_for=reply)
    engine = new_engine(tmp_path, writer=LazyModelWriter(shared),
                        extraction=model_extraction(settings, shared, tmp_path / "cache"))
    app = InterviewApp(engine, mode="model scripted-fake")
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        await wait_for(pilot, lambda: app.phase is Phase.ASKED and len(engine.state.questions) == 2)
        assert [q.worded_by for q in engine.state.questions] == ["scripted-fake", "scripted-fake"]
        [stage] = engine.state.value_map.stages
        assert stage.name == "Mark lawyers" and stage.provenance.model == "scripted-fake"
        assert stage.verified_evidence[0].text == "mark which lawyers they want"


class CountingEmbedder:
    """Letter counts as vectors: enough for the duplication check to run, and it counts what it embeds."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.texts.extend(texts)
        rows = np.array([[text.count(c) + 1e-3 for c in "abcdefghijklmnopqrstuvwxyz"] for text in texts],
                        dtype=np.float32).reshape(len(texts), 26)
        normalised: npt.NDArray[np.float32] = rows / np.linalg.norm(rows, axis=1, keepdims=True).clip(1e-9)
        return normalised


async def test_the_embedder_loads_after_the_first_screen_and_embeds_each_text_once(tmp_path: Path) -> None:
    inner = CountingEmbedder()
    engine = new_engine(tmp_path)
    app = InterviewApp(engine, mode=OFFLINE_MODE, embedder_loader=lambda: RememberingEmbedder(inner))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: engine.embedder is not None)
        await answer(pilot, SECOND_ANSWER)  # two propositions: compared for meaning
        await wait_for(pilot, lambda: app.phase is Phase.ASKED and len(engine.state.answers) == 1)
        embedded = len(inner.texts)
        assert embedded > 0
        engine.review(engine.state.value_map.stages[0].id if engine.state.value_map.stages else
                      engine.state.value_map.propositions[0].id, Review.CONFIRMED)  # re-checks the map
        assert len(inner.texts) == embedded  # nothing new to embed


async def test_ctrl_j_starts_a_new_line_and_enter_sends_both(tmp_path: Path) -> None:
    engine = new_engine(tmp_path)
    app = InterviewApp(engine, mode=OFFLINE_MODE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.phase is Phase.ASKED)
        await pilot.press(*"first", "ctrl+j", *"second")
        assert app.query_one(AnswerBox).text == "first\nsecond"
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(engine.state.answers))
        assert engine.state.answers[0].text == "first\nsecond"
